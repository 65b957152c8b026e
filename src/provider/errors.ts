// How provider-side failures reach the wire: a store outage becomes the standard OAuth
// `temporarily_unavailable` with HTTP 503; error pages never show internals.
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { isStoreUnavailable } from '../store/availability.ts';
import { GrantRevokedError } from '../store/errors.ts';
import { respondWithPage } from '../http/render.ts';

export function storeUnavailable(): Error {
  const error = new errors.TemporarilyUnavailable('the token service cannot reach its store; try again shortly');
  // allow_redirect false: a browser gets our 503 page instead of being bounced back to the
  // application with an error it cannot act on (the outage is ours, not the request's).
  Object.assign(error, { status: 503, statusCode: 503, expose: true, allow_redirect: false });
  return error;
}

/**
 * Rethrows store outages as 503 `temporarily_unavailable` and writes refused because the grant
 * was revoked meanwhile as `invalid_grant`; every other error unchanged.
 */
export function translateStoreError(error: unknown): never {
  if (isStoreUnavailable(error)) throw storeUnavailable();
  if (error instanceof GrantRevokedError) throw new errors.InvalidGrant('grant has been revoked');
  throw error;
}

const FRIENDLY: Record<string, string> = {
  invalid_redirect_uri: 'The application sent you here with a return address it has not registered, so you cannot be sent back to it.',
  invalid_client: 'The application that sent you here is not known to Portcullis.',
  invalid_request: 'The application sent an incomplete or malformed sign-in request.',
  temporarily_unavailable: 'Portcullis is briefly unavailable. Please try again in a moment.',
  server_error: 'Something went wrong on our side. Please try again.',
};

/** oidc-provider's renderError: a friendly page with the OAuth error code, never a stack trace. */
export function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, _error: Error): void {
  const status = ctx.status >= 400 ? ctx.status : 400;
  respondWithPage(
    ctx,
    'message',
    {
      title: 'Sign-in problem',
      message: FRIENDLY[out.error] ?? out.error_description ?? 'The sign-in request could not be completed.',
      code: out.error,
    },
    status,
  );
}
