// RFC 7009 §2.2: a successful revocation is "200 OK", its body ignored by the client. oidc-provider
// sends an empty text/plain body, which browser clients such as oidc-client-ts reject as not JSON;
// an empty JSON object satisfies both.
import type { Middleware } from 'koa';

export const revocationAnswersJson: Middleware = async (ctx, next) => {
  await next();
  const route = (ctx as { oidc?: { route?: string } }).oidc?.route;
  if (route === 'revocation' && ctx.status === 200 && !ctx.body) ctx.body = {};
};
