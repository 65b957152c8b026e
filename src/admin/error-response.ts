// Turns every failure inside /admin/v1 into the catalogue's JSON body; nothing else leaves.
import type { Context } from 'koa';
import type { Logger } from '../observability/logger.ts';
import { isStoreUnavailable } from '../store/availability.ts';
import { AdminError } from './errors.ts';
import { originOf } from './request-context.ts';

/** The error as an AdminError: catalogue errors as they are, outages 503, the rest 500 (logged). */
export function toAdminError(error: unknown, logger: Logger, ctx: Context): AdminError {
  if (error instanceof AdminError) return error;
  if (isStoreUnavailable(error)) return new AdminError('ERR_ADMIN_UNAVAILABLE', undefined, { headers: { 'Retry-After': '2' }, cause: error });
  logger.error({ err: error, path: ctx.path, requestId: originOf(ctx).requestId }, 'admin request failed');
  return new AdminError('ERR_ADMIN_INTERNAL', undefined, { cause: error });
}

export function respondWithError(ctx: Context, error: AdminError): void {
  ctx.status = error.status;
  for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = {
    code: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
    requestId: originOf(ctx).requestId ?? null,
  };
}
