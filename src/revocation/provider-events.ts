// oidc-provider revokes grants by itself: RFC 7009 revocation of a refresh token, RP-initiated
// logout (every grant of the session except offline_access ones, which outlive logout by design),
// authorization-code replay. It announces each with the synchronous `grant.revoked` event. We
// start the denylist write there and hold the HTTP response until it is acknowledged.
//
// The event fires after oidc-provider has already deleted the grant, so a failed write there could
// not be retried (a retry finds nothing to revoke). The provider's policies therefore write the
// entry first (`beforeRevocation`, for RFC 7009, logout and code replay): if Redis refuses it, the
// endpoint answers 503 with the token, session or grant untouched, and a retry works; the event
// then reuses that write instead of repeating it.
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from '../observability/logger.ts';
import type { Actor, AuditSink } from './audit.ts';
import type { Revoker } from './revoker.ts';

export interface ProviderRevocationOptions {
  revoker: Revoker;
  audit?: AuditSink | undefined;
  logger: Logger;
}

// oidc-provider route names → the audit trail's `source`.
const SOURCES: Record<string, string> = {
  revocation: 'rfc7009',
  end_session_confirm: 'end_session',
  token: 'token_endpoint',
};

// The caller's X-Request-Id is recorded only if it looks like one (UUIDs, trace ids): it comes
// from the network and lands in the audit log.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function actorOf(ctx: KoaContextWithOIDC): Actor {
  const clientId = ctx.oidc.client?.clientId;
  const accountId = ctx.oidc.session?.accountId;
  if (ctx.oidc.route === 'end_session_confirm' && accountId) return { kind: 'account', id: accountId, clientId };
  return clientId ? { kind: 'client', id: clientId } : { kind: 'system', id: 'oidc-provider' };
}

export interface ProviderRevocations {
  /** For the provider policies (RFC 7009, logout, code replay): denylist the grant before anything of it is deleted. */
  beforeRevocation(ctx: KoaContextWithOIDC, grantId: string): Promise<void>;
  /** Hooks into the provider; call before `provider.callback()` (Koa composes middleware then). */
  install(provider: Provider): void;
}

/**
 * Denylists every grant oidc-provider revokes, before the response leaves.
 *
 * @example
 * ```ts
 * const revocations = denylistProviderRevocations({ revoker, audit, logger });
 * const provider = createProvider({ ..., beforeGrantRevocation: revocations.beforeRevocation });
 * revocations.install(provider);
 * const callback = provider.callback();
 * ```
 */
export function denylistProviderRevocations({ revoker, audit, logger }: ProviderRevocationOptions): ProviderRevocations {
  const pending = new WeakMap<object, Promise<void>[]>();
  const written = new WeakMap<object, Map<string, Promise<string>>>();

  // Once per grant and request: oidc-provider asks its policy once per grant it revokes.
  const beforeRevocation = async (ctx: KoaContextWithOIDC, grantId: string): Promise<void> => {
    const byGrant = written.get(ctx) ?? new Map<string, Promise<string>>();
    written.set(ctx, byGrant);
    const write = byGrant.get(grantId) ?? revoker.denylistGrant(grantId);
    byGrant.set(grantId, write);
    await write;
  };

  const install = (provider: Provider): void => {
    provider.on('grant.revoked', (ctx, grantId) => {
      const route = ctx.oidc.route;
      const write = (written.get(ctx)?.get(grantId) ?? revoker.denylistGrant(grantId)).then(async (denylistId) => {
        if (!audit) return;
        const offered = ctx.get('x-request-id');
        const origin = { ip: ctx.ip, requestId: REQUEST_ID.test(offered) ? offered : undefined };
        await audit
          .record({ actor: actorOf(ctx), action: 'grant.revoke', target: { type: 'grant', id: grantId }, status: 200, origin, details: { denylistId, source: SOURCES[route] ?? route } })
          .catch((error: unknown) => logger.error({ err: error, grantId }, 'audit of a provider revocation failed'));
      });
      const list = pending.get(ctx) ?? [];
      list.push(write);
      pending.set(ctx, list);
    });

    provider.use(async (ctx, next) => {
      await next();
      const writes = pending.get(ctx);
      if (!writes) return;
      const failed = (await Promise.allSettled(writes)).filter((result) => result.status === 'rejected');
      if (failed.length === 0) return;
      const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC['oidc'] | undefined;
      for (const failure of failed) logger.error({ err: failure.reason, route: oidc?.route }, 'denylist write for a revoked grant failed; its access tokens stay valid until they expire');
      if (oidc?.route === 'revocation') {
        ctx.status = 503;
        ctx.set('Retry-After', '2');
        ctx.body = { error: 'temporarily_unavailable', error_description: 'revocation could not be completed, try again' };
      }
    });
  };

  return { beforeRevocation, install };
}
