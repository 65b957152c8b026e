// createVerifier's options: documented where their defaults live, checked once at creation.
import type { Cluster, Redis } from 'ioredis';

/** Algorithms a Portcullis issuer can sign access tokens with; symmetric and `none` never. */
const SUPPORTED_ALGORITHMS = new Set(['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519']);

/**
 * Options of {@link createVerifier}. Durations state their unit in the name.
 *
 * @example
 * ```ts
 * const options: VerifierOptions = {
 *   issuer: 'https://id.example.com',
 *   audience: 'https://orders.example.com',
 *   redis: 'redis://redis:6379',
 * };
 * ```
 */
export interface VerifierOptions {
  /** Expected `iss`, exactly as the provider publishes it. Required. */
  issuer: string;
  /** Expected `aud` (this service's resource indicator); a list accepts any of them. Required. */
  audience: string | readonly string[];
  /**
   * Where the denylist lives: a `redis://` / `rediss://` URL, or an ioredis client (standalone,
   * Sentinel or Cluster). A given client is duplicated for the blocking reads and left open by
   * `close()`; a URL's connection belongs to the verifier. Required.
   */
  redis: string | Redis | Cluster;
  /** JWKS location. Default `${issuer}/jwks`. */
  jwksUri?: string;
  /** Accepted `alg` values. Default `['ES256', 'RS256', 'PS256', 'EdDSA']`. */
  algorithms?: readonly string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 5 (typical NTP drift is far below). */
  clockToleranceSeconds?: number;
  /**
   * Milliseconds the denylist feed may be unreachable before `verify` fails closed with
   * `ERR_DENYLIST_STALE`. Default 10,000: long enough to ride out a reconnect (our clients back off
   * to at most 2 s) or a standalone Redis restart, short enough that a token revoked during an outage
   * is honoured at most 10 s longer. Raise it for Sentinel failover (30 s detection by default) if
   * availability matters more than that window. Minimum 100.
   */
  maxStalenessMs?: number;
  /** When the feed is stale, keep verifying against the last known denylist instead. Default false. */
  failOpen?: boolean;
  /** Redis key prefix, as configured on the provider. Default `portcullis`. */
  keyPrefix?: string;
  /**
   * Seconds: the longest access-token lifetime the provider issues; the snapshot reads this far back.
   * Must be at least the provider's value. Default 3600 (oidc-provider's access-token default).
   */
  maxTokenTtlSeconds?: number;
  /** Seconds a DPoP proof's `iat` may lie from now (either side). Default 60 (RFC 9449 leaves it to us). */
  dpopProofMaxAgeSeconds?: number;
  /** Called with feed errors (Redis down, malformed entry). Default: ignored. */
  onError?: (error: Error) => void;
}

/** Options after defaults, frozen. */
export interface ResolvedVerifierOptions {
  readonly issuer: string;
  readonly audience: string | string[];
  readonly redis: string | Redis | Cluster;
  readonly jwksUri: URL;
  readonly algorithms: string[];
  readonly clockToleranceSeconds: number;
  readonly maxStalenessMs: number;
  readonly failOpen: boolean;
  readonly keyPrefix: string;
  readonly maxTokenTtlSeconds: number;
  readonly dpopProofMaxAgeSeconds: number;
  readonly onError: ((error: Error) => void) | undefined;
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function isRedisClient(value: unknown): value is Redis | Cluster {
  return typeof value === 'object' && value !== null && typeof (value as { duplicate?: unknown }).duplicate === 'function';
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * Applies defaults and checks every option; throws one TypeError listing every problem.
 *
 * @example
 * ```ts
 * resolveVerifierOptions({ issuer: 'https://id.example.com', audience: 'api', redis: 'redis://r' });
 * ```
 */
export function resolveVerifierOptions(options: VerifierOptions): ResolvedVerifierOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('createVerifier: options must be an object');
  const problems: string[] = [];
  const {
    issuer,
    audience,
    redis,
    algorithms = ['ES256', 'RS256', 'PS256', 'EdDSA'],
    clockToleranceSeconds = 5,
    maxStalenessMs = 10_000,
    failOpen = false,
    keyPrefix = 'portcullis',
    maxTokenTtlSeconds = 3600,
    dpopProofMaxAgeSeconds = 60,
    onError,
  } = options;
  if (!isHttpUrl(issuer)) problems.push('issuer must be an http(s) URL');
  const jwksUri = options.jwksUri ?? (isHttpUrl(issuer) ? `${issuer.replace(/\/$/, '')}/jwks` : undefined);
  if (!isHttpUrl(jwksUri)) problems.push('jwksUri must be an http(s) URL');
  const audiences = typeof audience === 'string' ? [audience] : Array.isArray(audience) ? audience : [];
  if (audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a.length === 0)) {
    problems.push('audience must be a non-empty string or a non-empty array of them');
  }
  if (typeof redis === 'string') {
    if (!/^rediss?:\/\//.test(redis)) problems.push('redis must be a redis:// or rediss:// URL, or an ioredis client');
  } else if (!isRedisClient(redis)) {
    problems.push('redis must be a redis:// or rediss:// URL, or an ioredis client');
  }
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((alg) => !SUPPORTED_ALGORITHMS.has(alg))) {
    problems.push(`algorithms must be a non-empty subset of ${[...SUPPORTED_ALGORITHMS].join(', ')}`);
  }
  if (!isNonNegative(clockToleranceSeconds)) problems.push('clockToleranceSeconds must be a non-negative number of seconds');
  if (!Number.isSafeInteger(maxStalenessMs) || maxStalenessMs < 100) problems.push('maxStalenessMs must be an integer of milliseconds >= 100');
  if (typeof failOpen !== 'boolean') problems.push('failOpen must be a boolean');
  if (typeof keyPrefix !== 'string' || !/^[^{}:\s]+$/.test(keyPrefix)) problems.push('keyPrefix must be a non-empty string without braces, colons or spaces');
  if (!Number.isSafeInteger(maxTokenTtlSeconds) || maxTokenTtlSeconds <= 0) problems.push('maxTokenTtlSeconds must be a positive integer of seconds');
  if (!isNonNegative(dpopProofMaxAgeSeconds) || dpopProofMaxAgeSeconds === 0) problems.push('dpopProofMaxAgeSeconds must be a positive number of seconds');
  if (onError !== undefined && typeof onError !== 'function') problems.push('onError must be a function');
  if (problems.length > 0) throw new TypeError(`createVerifier: invalid options:\n- ${problems.join('\n- ')}`);

  return Object.freeze({
    issuer,
    audience: typeof audience === 'string' ? audience : [...audience],
    redis,
    jwksUri: new URL(jwksUri as string),
    algorithms: [...algorithms],
    clockToleranceSeconds,
    maxStalenessMs,
    failOpen,
    keyPrefix,
    maxTokenTtlSeconds,
    dpopProofMaxAgeSeconds,
    onError,
  });
}
