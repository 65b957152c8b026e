// Koa adapter. Structural types only: the verifier package must not depend on koa, not even its types.
import type { AccessTokenClaims } from '../access-token.ts';
import type { Verifier } from '../create-verifier.ts';
import { authenticate, type MiddlewareOptions } from './authenticate.ts';

/**
 * The part of a Koa context the middleware uses.
 *
 * @example
 * ```ts
 * router.get('/orders', koaMiddleware(verifier), (ctx) => { ctx.body = { sub: ctx.state.auth.sub }; });
 * ```
 */
export interface KoaLikeContext {
  get(field: string): string;
  set(field: string, value: string | string[]): void;
  status: number;
  body: unknown;
  method: string;
  /** Absolute request URL (honours `app.proxy` for X-Forwarded-*). */
  href: string;
  state: object;
}

/**
 * Koa middleware; the claims land on `ctx.state.auth`.
 *
 * @example
 * ```ts
 * const requireWrite: KoaLikeMiddleware = koaMiddleware(verifier, { scopes: ['orders:write'] });
 * ```
 */
export type KoaLikeMiddleware = (ctx: KoaLikeContext, next: () => Promise<unknown>) => Promise<void>;

/**
 * Koa middleware that requires a valid access token (and the given scopes) and puts its claims on
 * `ctx.state.auth`. Answers 401/403/503 itself, with RFC 6750 / RFC 9449 challenges.
 *
 * @example
 * ```ts
 * router.get('/orders', koaMiddleware(verifier, { scopes: ['orders:read'] }), (ctx) => {
 *   ctx.body = listOrders(ctx.state.auth.sub);
 * });
 * ```
 */
export function koaMiddleware(verifier: Verifier, options: MiddlewareOptions = {}): KoaLikeMiddleware {
  const scopes = [...(options.scopes ?? [])];
  return async (ctx, next) => {
    const result = await authenticate(
      verifier,
      { authorization: ctx.get('authorization') || undefined, dpop: ctx.get('dpop') || undefined, method: ctx.method, url: ctx.href },
      scopes,
    );
    if (!result.ok) {
      const { status, headers, body } = result.response;
      for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
      ctx.status = status;
      ctx.body = body;
      return;
    }
    (ctx.state as { auth?: AccessTokenClaims }).auth = result.claims;
    await next();
  };
}
