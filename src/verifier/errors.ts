// The verifier's error catalogue. Each code is stable: services branch on `code`, never on message.
// `description` is the public text that may leave in `error_description`; anything internal (the
// jose error, the Redis error) travels only as `cause`.

/**
 * How an error is answered over HTTP (RFC 6750 / RFC 9449 vocabulary).
 *
 * @example
 * ```ts
 * const { status, oauthError }: ErrorCatalogueEntry = VERIFIER_ERROR_CODES.ERR_TOKEN_REVOKED;
 * ```
 */
export interface ErrorCatalogueEntry {
  /** HTTP status the middleware answers with. */
  readonly status: 401 | 403 | 503;
  /** OAuth `error` value for `WWW-Authenticate` and the JSON body; absent when none is allowed. */
  readonly oauthError: 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof' | 'temporarily_unavailable' | undefined;
  /** One-line public meaning, also the README table's text. */
  readonly meaning: string;
}

/**
 * Every code a {@link VerifierError} can carry, with its HTTP mapping. `src/verifier/README.md`
 * renders this table; a test keeps the two identical.
 *
 * @example
 * ```ts
 * import { VERIFIER_ERROR_CODES } from 'portcullis/verifier';
 * console.log(VERIFIER_ERROR_CODES.ERR_TOKEN_REVOKED.status); // 401
 * ```
 */
export const VERIFIER_ERROR_CODES = Object.freeze({
  ERR_TOKEN_MISSING: { status: 401, oauthError: undefined, meaning: 'No access token was presented.' },
  ERR_TOKEN_MALFORMED: { status: 401, oauthError: 'invalid_token', meaning: 'The token is not a well-formed JWS compact JWT.' },
  ERR_TOKEN_ALG_NOT_ALLOWED: { status: 401, oauthError: 'invalid_token', meaning: 'The token is signed with an algorithm outside the allow-list.' },
  ERR_TOKEN_KEY_NOT_FOUND: { status: 401, oauthError: 'invalid_token', meaning: "No key in the issuer's JWKS matches the token header." },
  ERR_TOKEN_INVALID_SIGNATURE: { status: 401, oauthError: 'invalid_token', meaning: 'The signature does not verify.' },
  ERR_TOKEN_EXPIRED: { status: 401, oauthError: 'invalid_token', meaning: '`exp` is in the past (beyond the clock tolerance).' },
  ERR_TOKEN_NOT_YET_VALID: { status: 401, oauthError: 'invalid_token', meaning: '`nbf` or `iat` is in the future (beyond the clock tolerance).' },
  ERR_TOKEN_CLAIM_INVALID: { status: 401, oauthError: 'invalid_token', meaning: 'A claim or the `typ` header is missing or wrong; see `claim`.' },
  ERR_TOKEN_REVOKED: { status: 401, oauthError: 'invalid_token', meaning: 'The token, its grant or its subject is on the denylist.' },
  ERR_DPOP_PROOF_REQUIRED: { status: 401, oauthError: 'invalid_token', meaning: 'The token is DPoP-bound but no DPoP proof came with it.' },
  ERR_DPOP_PROOF_INVALID: { status: 401, oauthError: 'invalid_dpop_proof', meaning: 'The DPoP proof is invalid or not bound to this token and request.' },
  ERR_INSUFFICIENT_SCOPE: { status: 403, oauthError: 'insufficient_scope', meaning: 'The token lacks a scope the route requires.' },
  ERR_DENYLIST_STALE: { status: 503, oauthError: 'temporarily_unavailable', meaning: 'The denylist feed is unreachable beyond `maxStalenessMs` (fail-closed).' },
  ERR_JWKS_UNAVAILABLE: { status: 503, oauthError: 'temporarily_unavailable', meaning: "The issuer's JWKS could not be fetched." },
} as const satisfies Record<string, ErrorCatalogueEntry>);

/**
 * A stable verifier error code.
 *
 * @example
 * ```ts
 * if (error instanceof VerifierError && error.code === ('ERR_TOKEN_REVOKED' satisfies VerifierErrorCode)) signOut();
 * ```
 */
export type VerifierErrorCode = keyof typeof VERIFIER_ERROR_CODES;

/**
 * Base class of every error `verify` and the middleware raise. Branch on `code`.
 *
 * @example
 * ```ts
 * try {
 *   await verifier.verify(token);
 * } catch (error) {
 *   if (error instanceof VerifierError && error.code === 'ERR_TOKEN_EXPIRED') refreshAndRetry();
 *   else throw error;
 * }
 * ```
 */
export class VerifierError extends Error {
  readonly code: VerifierErrorCode;
  /** HTTP status for this code, from {@link VERIFIER_ERROR_CODES}. */
  readonly status: 401 | 403 | 503;
  /** Public description, safe for `error_description`. */
  readonly description: string;

  constructor(code: VerifierErrorCode, description: string, options?: { cause?: unknown }) {
    super(description, options);
    this.name = 'VerifierError';
    this.code = code;
    this.status = VERIFIER_ERROR_CODES[code].status;
    this.description = description;
  }
}

/**
 * A claim (or the `typ` header) failed a check; `claim` names it and `reason` says how.
 *
 * @example
 * ```ts
 * if (error instanceof ClaimInvalidError) console.warn(error.claim, error.reason); // 'aud' 'check_failed'
 * ```
 */
export class ClaimInvalidError extends VerifierError {
  readonly claim: string;
  /** `missing`, `invalid` (wrong type) or `check_failed` (wrong value), as in jose. */
  readonly reason: 'missing' | 'invalid' | 'check_failed';

  constructor(claim: string, reason: 'missing' | 'invalid' | 'check_failed', options?: { cause?: unknown }) {
    super('ERR_TOKEN_CLAIM_INVALID', `the ${claim} ${claim === 'typ' ? 'header' : 'claim'} ${reason === 'missing' ? 'is missing' : 'is invalid'}`, options);
    this.name = 'ClaimInvalidError';
    this.claim = claim;
    this.reason = reason;
  }
}

/**
 * The token is valid but lacks a required scope; `scopes` lists what the route requires.
 *
 * @example
 * ```ts
 * if (error instanceof InsufficientScopeError) console.warn('needs', error.scopes.join(' '));
 * ```
 */
export class InsufficientScopeError extends VerifierError {
  readonly scopes: readonly string[];

  constructor(scopes: readonly string[]) {
    super('ERR_INSUFFICIENT_SCOPE', 'the access token lacks a required scope');
    this.name = 'InsufficientScopeError';
    this.scopes = Object.freeze([...scopes]);
  }
}
