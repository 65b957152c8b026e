// Paths nobody serves: a friendly page for people, a JSON error for programs, instead of Koa's
// bare "Not Found" text.
import type { Middleware } from 'koa';
import { respondWithPage } from '../http/render.ts';

export const notFound: Middleware = async (ctx, next) => {
  await next();
  if (ctx.status !== 404 || ctx.body != null) return;
  if (ctx.accepts('html', 'json') === 'html') {
    respondWithPage(ctx, 'message', { title: 'Page not found', message: 'There is nothing at this address. Return to the application you came from.', code: 'not_found' }, 404);
  } else {
    ctx.status = 404;
    ctx.body = { error: 'not_found', error_description: 'no such endpoint' };
  }
};
