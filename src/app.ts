// Composes Portcullis: security headers → error boundary → health → static → interactions →
// admin API → oidc-provider. Everything shared lives in the store handed in, so instances are stateless.
import Koa from 'koa';
import type Provider from 'oidc-provider';
import { AccountStore } from './accounts/store.ts';
import { adminApi } from './admin/index.ts';
import { AuditLog } from './admin/audit-log.ts';
import type { Config } from './config/schema.ts';
import { errorBoundary } from './http/errors.ts';
import { health } from './http/health.ts';
import { securityHeaders } from './http/security-headers.ts';
import { staticAssets } from './http/static.ts';
import { demoRoutes } from './demo/routes.ts';
import { createLoginLimiter } from './interactions/login-limiter.ts';
import { interactionRoutes } from './interactions/routes.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { createProvider } from './provider/index.ts';
import { loadSecrets } from './provider/keys.ts';
import { storeUnavailable, translateStoreError } from './provider/errors.ts';
import { createRefreshRotation } from './refresh/index.ts';
import { denylistProviderRevocations } from './revocation/provider-events.ts';
import { Revoker } from './revocation/revoker.ts';
import { createAdapterFactory } from './store/adapter.ts';
import type { RedisClient } from './store/connect.ts';
import { createKeys, type Keys } from './store/keys.ts';

export interface Portcullis {
  app: Koa;
  provider: Provider;
  accounts: AccountStore;
  keys: Keys;
  redis: RedisClient;
  metrics: Metrics;
  /** Revokes grants, subjects and tokens (store + denylist). */
  revoker: Revoker;
  audit: AuditLog;
  /** True when signing/cookie keys were generated for development. */
  generatedSecrets: boolean;
}

export interface AppOptions {
  config: Readonly<Config>;
  redis: RedisClient;
  logger: Logger;
  /** Serve the development demo relying party at /demo. */
  demo?: boolean;
}

export async function createApp({ config, redis, logger, demo = false }: AppOptions): Promise<Portcullis> {
  const keys = createKeys(config.redis.keyPrefix);
  const secrets = await loadSecrets(config, redis, keys);
  const accounts = new AccountStore(redis, keys);
  const storeAdapter = createAdapterFactory(redis, keys);
  const audit = new AuditLog(redis, keys);
  const revoker = new Revoker({ redis, keys, config, audit });
  const providerRevocations = denylistProviderRevocations({ revoker, audit, logger });
  const refresh = createRefreshRotation({
    config,
    redis,
    keys,
    logger,
    secrets: secrets.cookieKeys,
    revokeByGrantId: (grantId) => storeAdapter('RefreshToken').revokeByGrantId(grantId),
    // Reuse revokes in the store directly (no grant.revoked event), so it denylists here.
    onGrantRevoked: (grantId) => revoker.denylistGrant(grantId),
  });
  const provider = createProvider({
    config,
    secrets,
    accounts,
    adapter: (name) => (name === 'RefreshToken' ? refresh.adapter : withStoreErrors(storeAdapter(name))),
    // Whatever stopped the denylist write, the answer is "not revoked yet, try again" (503).
    beforeGrantRevocation: (ctx, grantId) =>
      providerRevocations.beforeRevocation(ctx, grantId).catch((error: unknown) => {
        logger.error({ err: error, grantId }, 'denylist write before a grant revocation failed; nothing was revoked, a retry can complete it');
        throw storeUnavailable();
      }),
  });
  refresh.install(provider);
  provider.on('server_error', (ctx, error) => logger.error({ err: error, path: ctx.path }, 'provider server_error'));

  const app = new Koa({ proxy: config.trustProxy, keys: secrets.cookieKeys });
  app.silent = true;
  const interactions = interactionRoutes({
    config,
    provider,
    accounts,
    limiter: createLoginLimiter(config, redis, keys),
    csrfSecret: secrets.cookieKeys[0] as string,
    logger,
  });
  // Before provider.callback(): it composes the provider's middleware at that moment.
  providerRevocations.install(provider);
  const providerCallback = provider.callback();

  const metrics = createMetrics();
  metrics.observeProvider(provider);
  app.use(metrics.middleware);
  app.use(securityHeaders(config.env === 'production'));
  app.use(errorBoundary(logger));
  app.use(health(redis));
  app.use(staticAssets);
  if (demo) app.use(demoRoutes(config.issuer).routes());
  app.use(interactions.routes());
  app.use(interactions.allowedMethods());
  app.use(adminApi({ config, redis, keys, accounts, revoker, audit, jwks: secrets.jwks, logger }));
  app.use((ctx) => {
    // Hand the raw request to oidc-provider's own Koa app; it writes the response itself.
    ctx.respond = false;
    return providerCallback(ctx.req, ctx.res);
  });

  return { app, provider, accounts, keys, redis, metrics, revoker, audit, generatedSecrets: secrets.generated };
}

type AnyAdapter = ReturnType<ReturnType<typeof createAdapterFactory>>;

/** Store outages inside oidc-provider become 503 temporarily_unavailable instead of 500. */
function withStoreErrors(adapter: AnyAdapter): AnyAdapter {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch(translateStoreError);
    },
  });
}
