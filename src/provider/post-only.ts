// Token, revocation and introspection take POST only (RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662
// §2.1). oidc-provider answers other methods with a bare 404 text; clients get the standard
// OAuth error JSON and 405 with Allow instead.
import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';

const POST_ONLY_ROUTES = ['token', 'revocation', 'introspection'];

export function postOnlyEndpoints(provider: Provider): Middleware {
  const paths = new Set(POST_ONLY_ROUTES.map((route) => provider.pathFor(route)));
  return async (ctx, next) => {
    if (ctx.method === 'POST' || ctx.method === 'OPTIONS' || !paths.has(ctx.path)) return next();
    ctx.status = 405;
    ctx.set('Allow', 'POST');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: 'invalid_request', error_description: `${ctx.method} is not supported on this endpoint; use POST` };
  };
}
