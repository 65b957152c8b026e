// The framework-neutral half of the middleware: headers in, claims or an HTTP answer out.
import type { AccessTokenClaims } from '../access-token.ts';
import type { Verifier } from '../create-verifier.ts';
import { VerifierError } from '../errors.ts';
import { requireScopes } from '../scopes.ts';
import { parseAuthorization } from './authorization-header.ts';
import { challengeFor, type ErrorResponse } from './challenge.ts';

/**
 * Options shared by the Koa and Express middleware.
 *
 * @example
 * ```ts
 * const options: MiddlewareOptions = { scopes: ['orders:write'] };
 * ```
 */
export interface MiddlewareOptions {
  /** Scopes the route requires, all of them. Default none. */
  scopes?: readonly string[];
}

/** What the adapters read from a request. */
export interface RequestFacts {
  readonly authorization: string | undefined;
  readonly dpop: string | undefined;
  readonly method: string;
  /** Absolute URL of the request, for the DPoP `htu` check. */
  readonly url: string;
}

export type AuthenticationResult = { readonly ok: true; readonly claims: AccessTokenClaims } | { readonly ok: false; readonly response: ErrorResponse };

/**
 * Verifies the request's token and scopes. Verifier errors become a response; anything else
 * (a bug, a crash) is rethrown for the framework's error handler.
 *
 * @example
 * ```ts
 * const result = await authenticate(verifier, { authorization, dpop, method, url }, ['orders:read']);
 * if (!result.ok) send(result.response);
 * ```
 */
export async function authenticate(verifier: Verifier, request: RequestFacts, scopes: readonly string[] = []): Promise<AuthenticationResult> {
  const presented = parseAuthorization(request.authorization);
  const scheme = presented?.scheme ?? 'Bearer';
  try {
    if (presented && presented.token === undefined) throw new VerifierError('ERR_TOKEN_MALFORMED', 'the access token is malformed');
    const dpop = scheme === 'DPoP' ? { proof: request.dpop, method: request.method, url: request.url } : undefined;
    const claims = await verifier.verify(presented?.token, dpop ? { dpop } : {});
    requireScopes(claims, scopes);
    return { ok: true, claims };
  } catch (error) {
    if (!(error instanceof VerifierError)) throw error;
    return { ok: false, response: challengeFor(error, scheme, verifier.algorithms) };
  }
}
