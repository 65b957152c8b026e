// The audit log: one Redis stream, newest last, capped by length. The stream id is the entry's
// time (Redis' clock) and its paging cursor.
import type { AuditRecord, AuditSink } from '../revocation/audit.ts';
import type { RedisClient } from '../store/connect.ts';
import { guardStore } from '../store/errors.ts';
import type { Keys } from '../store/keys.ts';

/**
 * Default cap. An entry is ~300 bytes, so 100,000 entries stay near 30 MB; ship the stream to
 * long-term storage if you must keep more. `~` lets Redis trim whole nodes, which is much cheaper
 * than an exact cap and may keep a few hundred extra entries.
 */
export const DEFAULT_AUDIT_MAX_ENTRIES = 100_000;

/** An audit entry as the API returns it. */
export interface AuditEntry {
  /** Stream id; also the paging cursor. */
  id: string;
  /** ISO 8601, from the stream id. */
  time: string;
  actor: { kind: string; id: string; clientId?: string };
  action: string;
  target: { type: string; id: string } | null;
  status: number;
  ip: string | null;
  requestId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `cursor` to get the next (older) page; null at the end. */
  nextCursor: string | null;
}

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

export function isAuditCursor(value: string): boolean {
  return STREAM_ID.test(value);
}

function decode(id: string, fields: string[]): AuditEntry {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(map.get('details') ?? '{}') as Record<string, unknown>;
  } catch {
    details = { unreadable: map.get('details') };
  }
  const clientId = map.get('actor_client');
  const targetType = map.get('target_type');
  const targetId = map.get('target_id');
  return {
    id,
    time: new Date(Number(id.split('-')[0])).toISOString(),
    actor: { kind: map.get('actor_kind') ?? 'unknown', id: map.get('actor_id') ?? '', ...(clientId ? { clientId } : {}) },
    action: map.get('action') ?? '',
    target: targetType && targetId ? { type: targetType, id: targetId } : null,
    status: Number(map.get('status') ?? 0),
    ip: map.get('ip') || null,
    requestId: map.get('request_id') || null,
    reason: map.get('reason') || null,
    details,
  };
}

/**
 * Writes and pages the audit stream.
 *
 * @example
 * ```ts
 * const audit = new AuditLog(redis, keys);
 * await audit.record({ actor, action: 'account.disable', target: { type: 'account', id }, status: 200 });
 * const { entries, nextCursor } = await audit.page({ limit: 50 });
 * ```
 */
export class AuditLog implements AuditSink {
  readonly #redis: RedisClient;
  readonly #stream: string;
  readonly #maxEntries: number;

  constructor(redis: RedisClient, keys: Keys, options: { maxEntries?: number } = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_AUDIT_MAX_ENTRIES;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new TypeError('maxEntries must be a positive integer');
    this.#redis = redis;
    this.#stream = keys.auditStream();
    this.#maxEntries = maxEntries;
  }

  /** Appends one entry; resolves once Redis acknowledged it. */
  async record(entry: AuditRecord): Promise<void> {
    const fields = [
      'actor_kind', entry.actor.kind,
      'actor_id', entry.actor.id,
      'action', entry.action,
      'status', String(entry.status),
    ];
    if (entry.actor.clientId) fields.push('actor_client', entry.actor.clientId);
    if (entry.target) fields.push('target_type', entry.target.type, 'target_id', entry.target.id);
    if (entry.origin?.ip) fields.push('ip', entry.origin.ip);
    if (entry.origin?.requestId) fields.push('request_id', entry.origin.requestId);
    if (entry.reason) fields.push('reason', entry.reason);
    if (entry.details && Object.keys(entry.details).length > 0) fields.push('details', JSON.stringify(entry.details));
    await guardStore(() => this.#redis.xadd(this.#stream, 'MAXLEN', '~', String(this.#maxEntries), '*', ...fields));
  }

  /** Newest first. `cursor`: the `nextCursor` of the previous page (exclusive). */
  async page({ limit, cursor }: { limit: number; cursor?: string | undefined }): Promise<AuditPage> {
    if (cursor !== undefined && !isAuditCursor(cursor)) throw new TypeError('cursor must be a stream id');
    // XREVRANGE is inclusive on both ends (exclusive ranges need Redis 6.2): ask for one more when
    // starting at the cursor, and one more still to learn whether another page follows.
    const count = limit + 1 + (cursor ? 1 : 0);
    const reply = (await guardStore(() => this.#redis.xrevrange(this.#stream, cursor ?? '+', '-', 'COUNT', count))) as [string, string[]][];
    const rows = cursor ? reply.filter(([id]) => id !== cursor) : reply;
    const entries = rows.slice(0, limit).map(([id, fields]) => decode(id, fields));
    const last = entries.at(-1);
    return { entries, nextCursor: rows.length > limit && last ? last.id : null };
  }
}
