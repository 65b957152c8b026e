// RFC 9449 §4.3 / §7.1: a DPoP proof must be a fresh, one-time JWT signed by the key the access
// token is bound to, for this very request and this very token.
import { createHash } from 'node:crypto';
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify, type JWK } from 'jose';
import { VerifierError } from '../errors.ts';
import type { DpopReplayCache } from './replay-cache.ts';

/**
 * The request a DPoP proof must match. Pass it to `verify` when the Authorization scheme is `DPoP`.
 *
 * @example
 * ```ts
 * const dpop: DpopRequest = { proof: req.headers.dpop, method: 'GET', url: 'https://api.example.com/orders' };
 * ```
 */
export interface DpopRequest {
  /** The `DPoP` request header (undefined when the client sent none). */
  proof: string | undefined;
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** Absolute request URL; query and fragment are ignored. */
  url: string;
}

export interface DpopCheckOptions {
  readonly algorithms: string[];
  /** Seconds. */
  readonly maxAgeSeconds: number;
  readonly replay: DpopReplayCache;
}

function invalid(reason: string, cause?: unknown): VerifierError {
  return new VerifierError('ERR_DPOP_PROOF_INVALID', `DPoP proof ${reason}`, { cause });
}

function withoutQuery(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

/**
 * Checks a DPoP proof against the request, the access token and its `cnf.jkt`.
 *
 * @example
 * ```ts
 * await checkDpopProof(request, accessToken, claims.cnf.jkt, { algorithms, maxAgeSeconds: 60, replay });
 * ```
 */
export async function checkDpopProof(request: DpopRequest, accessToken: string, jkt: string, options: DpopCheckOptions): Promise<void> {
  if (typeof request.proof !== 'string' || request.proof.length === 0) {
    throw new VerifierError('ERR_DPOP_PROOF_REQUIRED', 'a DPoP proof is required for this access token');
  }
  let payload;
  let jwk: JWK;
  try {
    const result = await jwtVerify(request.proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: options.algorithms,
      requiredClaims: ['jti', 'htm', 'htu', 'iat', 'ath'],
    });
    payload = result.payload;
    jwk = result.protectedHeader.jwk as JWK;
  } catch (error) {
    throw invalid('is not a valid DPoP JWT', error);
  }
  if (payload.htm !== request.method.toUpperCase()) throw invalid('htm does not match the request method');
  const htu = typeof payload.htu === 'string' ? withoutQuery(payload.htu) : undefined;
  if (htu === undefined || htu !== withoutQuery(request.url)) throw invalid('htu does not match the request URL');
  const now = Date.now() / 1000;
  const iat = payload.iat as number;
  if (Math.abs(now - iat) > options.maxAgeSeconds) throw invalid('iat is not recent');
  const ath = createHash('sha256').update(accessToken).digest('base64url');
  if (payload.ath !== ath) throw invalid('ath does not match the access token');
  if ((await calculateJwkThumbprint(jwk, 'sha256')) !== jkt) throw invalid('key does not match the access token binding');
  if (typeof payload.jti !== 'string' || !options.replay.firstUse(`${jkt}:${payload.jti}`, (iat + options.maxAgeSeconds) * 1000)) {
    throw invalid('has been used before');
  }
}
