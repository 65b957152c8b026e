// The verifier pipeline at a glance: signature and RFC 9068 claims → DPoP binding → denylist
// freshness → denylist lookup. Every step is its own module.
import { createKeys } from '../store/keys.ts';
import { createAccessTokenCheck, type AccessTokenClaims } from './access-token.ts';
import { openFollowerConnection } from './denylist/connection.ts';
import { DenylistFollower, type DenylistStatus } from './denylist/follower.ts';
import { DenylistMemoryIndex } from './denylist/memory-index.ts';
import { checkDpopProof, type DpopRequest } from './dpop/proof.ts';
import { DpopReplayCache } from './dpop/replay-cache.ts';
import { ClaimInvalidError, VerifierError } from './errors.ts';
import { resolveVerifierOptions, type VerifierOptions } from './options.ts';

/**
 * Per-call options of {@link Verifier.verify}.
 *
 * @example
 * ```ts
 * await verifier.verify(token, { dpop: { proof: req.headers.dpop, method: req.method, url } });
 * ```
 */
export interface VerifyOptions {
  /** Give it when the Authorization scheme was `DPoP`; required for DPoP-bound tokens. */
  dpop?: DpopRequest;
}

/**
 * A running verifier. Create one per process and share it.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ issuer, audience, redis: process.env.REDIS_URL! });
 * await verifier.ready();
 * const claims = await verifier.verify(token);
 * await verifier.close();
 * ```
 */
export interface Verifier {
  /** The accepted signing algorithms (also offered for DPoP proofs in `WWW-Authenticate`). */
  readonly algorithms: readonly string[];
  /** Resolves to the token's claims or rejects with a {@link VerifierError}. */
  verify(token: string | undefined, options?: VerifyOptions): Promise<AccessTokenClaims>;
  /** Resolves once the denylist snapshot is in memory; await it before serving traffic. */
  ready(): Promise<void>;
  /** Denylist feed state, for health checks and metrics. */
  status(): DenylistStatus;
  /** Stops following the feed and closes the verifier's own Redis connection (not yours). */
  close(): Promise<void>;
}

/**
 * Creates a verifier for Portcullis access tokens and starts following the denylist.
 * Throws a TypeError listing every invalid option.
 *
 * @example
 * ```ts
 * import { createVerifier } from 'portcullis/verifier';
 *
 * const verifier = createVerifier({
 *   issuer: 'https://id.example.com',
 *   audience: 'https://orders.example.com',
 *   redis: 'redis://redis:6379',
 * });
 * await verifier.ready();
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const resolved = resolveVerifierOptions(options);
  const checkAccessToken = createAccessTokenCheck(resolved);
  const replay = new DpopReplayCache();
  const index = new DenylistMemoryIndex();
  const follower = new DenylistFollower({
    client: openFollowerConnection(resolved.redis, resolved.onError),
    stream: createKeys(resolved.keyPrefix).denylistStream(),
    index,
    maxTokenTtlSeconds: resolved.maxTokenTtlSeconds,
    maxStalenessMs: resolved.maxStalenessMs,
    onError: resolved.onError,
  });
  follower.start();

  const verify = async (token: string | undefined, callOptions: VerifyOptions = {}): Promise<AccessTokenClaims> => {
    if (typeof token !== 'string' || token.length === 0) throw new VerifierError('ERR_TOKEN_MISSING', 'an access token is required');
    const claims = await checkAccessToken(token);
    const jkt = claims.cnf?.jkt;
    if (jkt !== undefined) {
      if (!callOptions.dpop) throw new VerifierError('ERR_DPOP_PROOF_REQUIRED', 'this access token must be presented with DPoP');
      await checkDpopProof(callOptions.dpop, token, jkt, {
        algorithms: resolved.algorithms,
        maxAgeSeconds: resolved.dpopProofMaxAgeSeconds,
        replay,
      });
    } else if (callOptions.dpop) {
      // RFC 9449 §7.1: the DPoP scheme is for DPoP-bound tokens only.
      throw new ClaimInvalidError('cnf', 'missing');
    }
    if (!follower.isFresh()) {
      await follower.settle();
      if (!follower.isFresh() && !resolved.failOpen) throw new VerifierError('ERR_DENYLIST_STALE', 'revocation state is temporarily unavailable');
    }
    if (index.isRevoked({ jti: claims.jti, sub: claims.sub, iat: claims.iat, grantId: claims.grant_id }, Math.floor(Date.now() / 1000))) {
      throw new VerifierError('ERR_TOKEN_REVOKED', 'the access token has been revoked');
    }
    return claims;
  };

  return {
    algorithms: Object.freeze([...resolved.algorithms]),
    verify,
    ready: () => follower.ready(),
    status: () => follower.status(),
    close: () => follower.close(),
  };
}
