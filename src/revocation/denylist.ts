// The write side of the denylist: one XADD on the stream every verifier follows. Admin revocation,
// refresh-token reuse detection and logout all end here.
import type { RedisClient } from '../store/connect.ts';
import type { Keys } from '../store/keys.ts';
import { assertDenylistEntry, encodeDenylistEntry, type DenylistEntry } from '../verifier/denylist/entry.ts';

export type { DenylistEntry, GrantDenylistEntry, JtiDenylistEntry, SubjectDenylistEntry } from '../verifier/denylist/entry.ts';

// Trimming keeps this much more than the longest token lifetime, so a provider whose clock runs
// ahead of Redis' (stream ids are Redis time) cannot trim an entry that can still match a token.
const CLOCK_SKEW_MARGIN_SECONDS = 60;

export interface AppendDenylistOptions {
  /** Seconds: the longest access-token lifetime; entries older than this (plus 60 s) are trimmed. */
  maxTokenTtlSeconds: number;
  /**
   * Wait until `replicas` replicas acknowledged the write (`WAIT`), at most `timeoutMs`
   * milliseconds; throws {@link DenylistReplicationError} if fewer did. Off by default (a
   * standalone Redis has no replica to wait for).
   */
  waitForReplicas?: { replicas?: number; timeoutMs: number };
}

export interface AppendDenylistResult {
  /** The stream id Redis assigned. */
  id: string;
  /** Replicas that acknowledged, when `waitForReplicas` was asked. */
  replicas?: number;
}

/**
 * The entry was written on the primary but fewer replicas than asked acknowledged it in time.
 *
 * @example
 * ```ts
 * catch (error) { if (error instanceof DenylistReplicationError) audit('revocation not replicated', error.acknowledged); }
 * ```
 */
export class DenylistReplicationError extends Error {
  readonly id: string;
  readonly acknowledged: number;

  constructor(id: string, acknowledged: number, wanted: number) {
    super(`denylist entry ${id} reached ${acknowledged} of ${wanted} replicas in time`);
    this.name = 'DenylistReplicationError';
    this.id = id;
    this.acknowledged = acknowledged;
  }
}

/**
 * Appends one denylist entry and trims entries that can no longer match a live token. Resolves
 * only after Redis acknowledged the write (and, if asked, its replicas did).
 *
 * @example
 * ```ts
 * const now = Math.floor(Date.now() / 1000);
 * await appendDenylistEntry(redis, keys, { kind: 'grant', value: grantId, expiresAt: now + 3600 }, { maxTokenTtlSeconds: 3600 });
 * ```
 */
export async function appendDenylistEntry(
  redis: RedisClient,
  keys: Keys,
  entry: DenylistEntry,
  options: AppendDenylistOptions,
): Promise<AppendDenylistResult> {
  assertDenylistEntry(entry);
  const { maxTokenTtlSeconds, waitForReplicas } = options;
  if (!Number.isSafeInteger(maxTokenTtlSeconds) || maxTokenTtlSeconds <= 0) throw new TypeError('maxTokenTtlSeconds must be a positive integer of seconds');
  if (waitForReplicas && (!Number.isSafeInteger(waitForReplicas.timeoutMs) || waitForReplicas.timeoutMs <= 0)) {
    throw new TypeError('waitForReplicas.timeoutMs must be a positive integer of milliseconds');
  }
  const minId = Date.now() - (maxTokenTtlSeconds + CLOCK_SKEW_MARGIN_SECONDS) * 1000;
  const stream = keys.denylistStream();
  const xadd = ['MINID', '=', String(minId), '*', ...encodeDenylistEntry(entry)];
  if (!waitForReplicas) {
    const id = await redis.xadd(stream, ...xadd);
    return { id: id as string };
  }
  // One pipeline, so WAIT runs on the same connection (and, on Cluster, the same node) as the XADD.
  const wanted = waitForReplicas.replicas ?? 1;
  const results = await redis.pipeline().xadd(stream, ...xadd).call('WAIT', wanted, waitForReplicas.timeoutMs).exec();
  const [added, waited] = results ?? [];
  if (!added || added[0] || !waited || waited[0]) throw (added?.[0] ?? waited?.[0] ?? new Error('denylist write was not acknowledged'));
  const id = added[1] as string;
  const acknowledged = Number(waited[1]);
  if (acknowledged < wanted) throw new DenylistReplicationError(id, acknowledged, wanted);
  return { id, replicas: acknowledged };
}
