// Which grants and sessions an account has: sorted sets kept by the adapter, read by the admin API.
import type { RedisClient } from './connect.ts';
import { guardStore } from './errors.ts';
import type { Keys } from './keys.ts';
import { withStoreCommands } from './scripts/register.ts';

/** Records that a grant or session of `accountId` lives until `expiresAtMs`. */
export async function addToAccountIndex(
  redis: RedisClient,
  indexKey: string,
  memberId: string,
  expiresAtMs: number,
  nowMs: number,
): Promise<void> {
  await withStoreCommands(redis).pcAddToAccountIndex(indexKey, memberId, String(Math.ceil(expiresAtMs)), String(Math.floor(nowMs)));
}

async function liveMembers(
  redis: RedisClient,
  indexKey: string,
  recordKey: (id: string) => string,
  accountId: string,
): Promise<string[]> {
  return guardStore(async () => {
    const ids = await redis.zrangebyscore(indexKey, `(${Date.now()}`, '+inf');
    // A member can outlive its record (destroyed, revoked, or re-saved for another account), so
    // each is confirmed against the record itself; one single-key read each keeps this cluster-safe.
    const payloads = await Promise.all(ids.map((id) => redis.hget(recordKey(id), 'payload')));
    const live: string[] = [];
    const dead: string[] = [];
    ids.forEach((id, i) => {
      const payload = payloads[i];
      const owner = payload ? (JSON.parse(payload) as { accountId?: unknown }).accountId : undefined;
      (owner === accountId ? live : dead).push(id);
    });
    if (dead.length > 0) await redis.zrem(indexKey, ...dead);
    return live;
  });
}

/** Ids of the live grants of an account (unordered). */
export function listAccountGrants(redis: RedisClient, keys: Keys, accountId: string): Promise<string[]> {
  return liveMembers(redis, keys.accountGrants(accountId), (id) => keys.record('Grant', id), accountId);
}

/** Ids of the live sessions of an account (unordered). */
export function listAccountSessions(redis: RedisClient, keys: Keys, accountId: string): Promise<string[]> {
  return liveMembers(redis, keys.accountSessions(accountId), (id) => keys.record('Session', id), accountId);
}
