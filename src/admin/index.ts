// The admin API at /admin/v1, composed: request id → routes (each: authenticate → validate →
// handle → audit) → 405 / 404 in the catalogue's JSON. Mounted in app.ts before oidc-provider.
import Router from '@koa/router';
import type { JWK } from 'jose';
import type { Middleware } from 'koa';
import type { AccountStore } from '../accounts/store.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../observability/logger.ts';
import { longestAccessTokenTtlSeconds, DENYLIST_EXPIRY_MARGIN_SECONDS } from '../revocation/lifetime.ts';
import type { Revoker } from '../revocation/revoker.ts';
import type { RedisClient } from '../store/connect.ts';
import type { Keys } from '../store/keys.ts';
import { AuditLog } from './audit-log.ts';
import { createAdminAuthenticator } from './authenticate.ts';
import { DenylistView } from './denylist-view.ts';
import { respondWithError } from './error-response.ts';
import { AdminError } from './errors.ts';
import { accountRoutes } from './handlers/accounts.ts';
import { auditRoutes } from './handlers/audit.ts';
import { grantRoutes } from './handlers/grants.ts';
import { tokenRoutes } from './handlers/tokens.ts';
import { openApiDocument } from './openapi.ts';
import { assignOrigin } from './request-context.ts';
import { defineRoute, type AdminRoute } from './route.ts';

export const ADMIN_PREFIX = '/admin/v1';

export interface AdminDependencies {
  config: Readonly<Config>;
  redis: RedisClient;
  keys: Keys;
  accounts: AccountStore;
  revoker: Revoker;
  audit: AuditLog;
  /** The provider's signing keys (private members are ignored). */
  jwks: { keys: JWK[] };
  logger: Logger;
}

/** Every route, in one table. */
export function adminRouteTable(deps: AdminDependencies): AdminRoute[] {
  const document = openApiDocument(deps.config.issuer);
  return [
    defineRoute({ method: 'get', path: '/openapi.json', action: null, handler: async () => ({ body: document }) }),
    ...accountRoutes(deps.accounts, deps.revoker),
    ...grantRoutes(deps),
    ...tokenRoutes(deps.revoker),
    ...auditRoutes(deps.audit),
  ];
}

/** Clients configured `admin: true` may call the admin API. */
function adminClients(config: Readonly<Config>): Set<string> {
  return new Set(config.clients.filter((client) => client.admin === true).map((client) => client.client_id));
}

/**
 * Koa middleware serving /admin/v1; passes every other path on.
 *
 * @example
 * ```ts
 * app.use(adminApi({ config, redis, keys, accounts, revoker, audit, jwks: secrets.jwks, logger }));
 * ```
 */
export function adminApi(deps: AdminDependencies): Middleware {
  const allowed = adminClients(deps.config);
  const algorithms = [...new Set([deps.config.keys.algorithm, ...deps.jwks.keys.map((key) => key.alg).filter((alg): alg is string => typeof alg === 'string')])];
  const authenticate = createAdminAuthenticator({
    issuer: deps.config.issuer,
    jwks: deps.jwks,
    algorithms,
    isAdminClient: (clientId) => allowed.has(clientId),
    findAccount: (accountId) => deps.accounts.findById(accountId),
    denylist: new DenylistView(deps.redis, deps.keys, longestAccessTokenTtlSeconds(deps.config) + DENYLIST_EXPIRY_MARGIN_SECONDS),
  });
  const runtime = { authenticate, audit: deps.audit, logger: deps.logger };

  const router = new Router({ prefix: ADMIN_PREFIX });
  for (const route of adminRouteTable(deps)) router[route.method](route.path, route.toMiddleware(runtime));
  // The router's types expect its own context shape; it adds `params` to a plain Koa context itself.
  const routes = router.routes() as unknown as Middleware;
  const methods = router.allowedMethods() as unknown as Middleware;
  const statusOf = (ctx: { status: number }): number => ctx.status;

  return async (ctx, next) => {
    if (ctx.path !== ADMIN_PREFIX && !ctx.path.startsWith(`${ADMIN_PREFIX}/`)) return next();
    assignOrigin(ctx);
    await routes(ctx, async () => undefined);
    if (ctx.status === 404 && ctx.body === undefined) {
      await methods(ctx, async () => undefined);
      if (statusOf(ctx) === 405) {
        respondWithError(ctx, new AdminError('ERR_ADMIN_METHOD_NOT_ALLOWED', undefined, { headers: { Allow: ctx.response.get('Allow') } }));
      } else if (statusOf(ctx) === 404 || statusOf(ctx) === 501) {
        respondWithError(ctx, new AdminError('ERR_ADMIN_NOT_FOUND', `no route ${ctx.method} ${ctx.path}`));
      }
    }
  };
}
