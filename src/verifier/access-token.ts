// RFC 9068 access-token checks on top of jose's jwtVerify, and the translation of jose's errors
// into the verifier's catalogue.
import { createRemoteJWKSet, errors, jwtVerify, type JWTHeaderParameters, type JWTPayload, type FlattenedJWSInput } from 'jose';
import { ClaimInvalidError, VerifierError } from './errors.ts';
import type { ResolvedVerifierOptions } from './options.ts';

/**
 * The claims of a verified Portcullis access token (RFC 9068 plus `grant_id` and `cnf`).
 *
 * @example
 * ```ts
 * const claims: AccessTokenClaims = await verifier.verify(token);
 * console.log(claims.sub, claims.scope?.split(' '));
 * ```
 */
export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  client_id: string;
  /** Space-separated scopes. */
  scope?: string;
  /** Unix seconds. */
  iat: number;
  /** Unix seconds. */
  exp: number;
  jti: string;
  /** Present when issued from a user grant; absent for client_credentials. */
  grant_id?: string;
  /** Present when DPoP-bound: the JWK SHA-256 thumbprint of the client's key. */
  cnf?: { jkt?: string };
}

const KEY_MEMO_MS = 30_000;

// RFC 9068 §2.2 lists these as required; jose reports a missing one with its name.
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'];

function translate(error: unknown): unknown {
  if (error instanceof VerifierError) return error;
  if (error instanceof errors.JWTExpired) return new VerifierError('ERR_TOKEN_EXPIRED', 'the access token has expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || (error.claim === 'iat' && error.reason === 'check_failed')) {
      return new VerifierError('ERR_TOKEN_NOT_YET_VALID', 'the access token is not valid yet', { cause: error });
    }
    const reason = error.reason === 'missing' ? 'missing' : error.reason === 'invalid' ? 'invalid' : 'check_failed';
    return new ClaimInvalidError(error.claim, reason, { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new VerifierError('ERR_TOKEN_ALG_NOT_ALLOWED', 'the access token algorithm is not allowed', { cause: error });
  if (error instanceof errors.JWKSNoMatchingKey) return new VerifierError('ERR_TOKEN_KEY_NOT_FOUND', 'no issuer key matches the access token', { cause: error });
  if (error instanceof errors.JWSSignatureVerificationFailed) return new VerifierError('ERR_TOKEN_INVALID_SIGNATURE', 'the access token signature is invalid', { cause: error });
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new VerifierError('ERR_TOKEN_MALFORMED', 'the access token is malformed', { cause: error });
  }
  return error;
}

function checkShape(claims: JWTPayload, toleranceSeconds: number): AccessTokenClaims {
  for (const claim of ['sub', 'jti', 'client_id'] as const) {
    if (typeof claims[claim] !== 'string' || claims[claim] === '') throw new ClaimInvalidError(claim, 'invalid');
  }
  if (claims.scope !== undefined && typeof claims.scope !== 'string') throw new ClaimInvalidError('scope', 'invalid');
  if (claims.grant_id !== undefined && (typeof claims.grant_id !== 'string' || claims.grant_id === '')) throw new ClaimInvalidError('grant_id', 'invalid');
  const cnf = claims.cnf as { jkt?: unknown } | undefined;
  if (cnf !== undefined && (typeof cnf !== 'object' || cnf === null || (cnf.jkt !== undefined && typeof cnf.jkt !== 'string'))) {
    throw new ClaimInvalidError('cnf', 'invalid');
  }
  // jose checks iat only against maxTokenAge; a token minted in the future is not valid yet.
  if ((claims.iat as number) > Date.now() / 1000 + toleranceSeconds) {
    throw new VerifierError('ERR_TOKEN_NOT_YET_VALID', 'the access token is not valid yet');
  }
  return claims as AccessTokenClaims;
}

/**
 * Builds the signature-and-claims half of `verify`: JWKS fetched once and cached by jose
 * (re-fetched on an unknown `kid`, at most every 30 s, which is how key rotation reaches us).
 *
 * @example
 * ```ts
 * const verifyAccessToken = createAccessTokenCheck(resolveVerifierOptions(options));
 * const claims = await verifyAccessToken(token);
 * ```
 */
export function createAccessTokenCheck(options: ResolvedVerifierOptions): (token: string) => Promise<AccessTokenClaims> {
  const remote = createRemoteJWKSet(options.jwksUri);
  // A JWKS endpoint that is down is our outage (503), not a bad token (401): tell them apart here,
  // where only key resolution can fail.
  // (A plain .catch rather than an async wrapper: this runs on every request.)
  const fromRemote = (header: JWTHeaderParameters, token: FlattenedJWSInput) =>
    remote(header, token).catch((error: unknown) => {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new VerifierError('ERR_JWKS_UNAVAILABLE', 'the issuer keys are unavailable', { cause: error });
    });
  // The remote set re-selects and re-checks the key on every call; remembering the resolved key
  // per kid+alg for a short while takes that off the hot path. 30 s is well inside jose's own
  // 10-minute JWKS cache, so a retired key stays trusted no longer than it would without this.
  const resolved = new Map<string, { key: Awaited<ReturnType<typeof remote>>; until: number }>();
  const getKey = (header: JWTHeaderParameters, token: FlattenedJWSInput) => {
    const id = `${header.alg}|${header.kid ?? ''}`;
    const hit = resolved.get(id);
    if (hit && hit.until > Date.now()) return hit.key;
    return fromRemote(header, token).then((key) => {
      if (resolved.size > 64) resolved.clear(); // a flood of unknown kids must not grow memory
      resolved.set(id, { key, until: Date.now() + KEY_MEMO_MS });
      return key;
    });
  };
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: options.algorithms,
    typ: 'at+jwt',
    clockTolerance: options.clockToleranceSeconds,
    requiredClaims: REQUIRED_CLAIMS,
  };
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, getKey, verifyOptions);
      return checkShape(payload, options.clockToleranceSeconds);
    } catch (error) {
      throw translate(error);
    }
  };
}
