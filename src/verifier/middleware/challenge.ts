// Turns a VerifierError into the HTTP answer: status, WWW-Authenticate (RFC 6750 §3, RFC 9449 §7.1)
// and a JSON body with only public text.
import { InsufficientScopeError, VERIFIER_ERROR_CODES, type VerifierError } from '../errors.ts';

/** A framework-neutral HTTP answer. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: { error?: string; error_description: string };
}

// RFC 6750 §3: quoted values may hold only %x20-21 / %x23-5B / %x5D-7E (no `"` nor `\`).
function quoted(value: string): string {
  return `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`;
}

/**
 * Builds the response for a failed authentication. `scheme` is what the client used; DPoP errors
 * always answer with a DPoP challenge so the client learns which scheme to use.
 *
 * @example
 * ```ts
 * const { status, headers, body } = challengeFor(error, 'Bearer', ['ES256']);
 * ```
 */
export function challengeFor(error: VerifierError, scheme: 'Bearer' | 'DPoP', algorithms: readonly string[]): ErrorResponse {
  const { status, oauthError } = VERIFIER_ERROR_CODES[error.code];
  const headers: Record<string, string | string[]> = { 'cache-control': 'no-store' };
  const dpopAlgs = `algs=${quoted(algorithms.join(' '))}`;
  if (status === 503) {
    // Our outage, not the client's credentials: no challenge, and a hint to retry shortly.
    headers['retry-after'] = '1';
    return { status, headers, body: { error: oauthError, error_description: error.description } };
  }
  if (error.code === 'ERR_TOKEN_MISSING') {
    headers['www-authenticate'] = ['Bearer', `DPoP ${dpopAlgs}`];
    return { status, headers, body: { error_description: error.description } };
  }
  const useDpop = scheme === 'DPoP' || error.code === 'ERR_DPOP_PROOF_REQUIRED' || error.code === 'ERR_DPOP_PROOF_INVALID';
  const params = [`error=${quoted(oauthError ?? 'invalid_token')}`, `error_description=${quoted(error.description)}`];
  if (error instanceof InsufficientScopeError) params.push(`scope=${quoted(error.scopes.join(' '))}`);
  if (useDpop) params.push(dpopAlgs);
  headers['www-authenticate'] = `${useDpop ? 'DPoP' : 'Bearer'} ${params.join(', ')}`;
  return { status, headers, body: { error: oauthError, error_description: error.description } };
}
