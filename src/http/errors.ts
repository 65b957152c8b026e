// The last line of defence for our own routes (interactions, admin, health): client mistakes get
// a friendly page or JSON error, store outages 503, anything else a generic 500 — never a stack.
import type { Middleware } from 'koa';
import { isStoreUnavailable } from '../store/availability.ts';
import type { Logger } from '../observability/logger.ts';
import { respondWithPage } from './render.ts';

interface HttpishError extends Error {
  status?: number;
  expose?: boolean;
  error?: string;
  error_description?: string;
}

export function errorBoundary(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (caught) {
      const error = caught as HttpishError;
      let status = 500;
      let code = 'server_error';
      let message = 'Something went wrong on our side. Please try again.';
      // Store outages arrive raw (our own store calls) or already translated by the provider layer.
      if (isStoreUnavailable(error) || (error.expose && error.error === 'temporarily_unavailable')) {
        status = 503;
        code = 'temporarily_unavailable';
        message = 'Portcullis is briefly unavailable. Please try again in a moment.';
        ctx.set('Retry-After', '2');
      } else if (error.expose && error.status && error.status < 500) {
        status = error.status;
        code = error.error ?? 'invalid_request';
        message = code === 'invalid_request' && /session|interaction/i.test(`${error.error_description ?? ''}${error.message}`)
          ? 'This sign-in page has expired or was opened in another browser. Please return to the application and start again.'
          : (error.error_description ?? error.message);
      }
      if (status >= 500) logger.error({ err: error, path: ctx.path }, 'request failed');
      if (ctx.accepts('html', 'json') === 'json' || ctx.path.startsWith('/admin/')) {
        ctx.status = status;
        ctx.body = { error: code, error_description: message };
      } else {
        respondWithPage(ctx, 'message', { title: status === 503 ? 'Try again shortly' : 'Something is not right', message, code }, status);
      }
    }
  };
}
