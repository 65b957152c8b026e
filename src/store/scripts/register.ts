// The adapter's Lua scripts and their typed signatures.
import type { RedisClient } from '../connect.ts';
import { defineScripts, scriptKeyCounts, type ScriptTable } from './define.ts';
import { ADD_TO_ACCOUNT_INDEX } from './account-index.ts';
import { DESTROY_GRANT_MEMBER, REVOKE_GRANT, WRITE_GRANT, WRITE_GRANT_MEMBER } from './grant.ts';
import { CONSUME_RECORD, DELETE_IF_EQUALS, TAKE_RECORD, WRITE_RECORD } from './records.ts';

/** The scripts as client methods: keys first, then arguments (see each script's doc). */
export interface StoreCommands {
  pcWriteRecord(record: string, payload: string, consumed: string, ttlMs: string): Promise<number>;
  pcConsumeRecord(record: string, nowSeconds: string): Promise<number>;
  pcTakeRecord(record: string): Promise<string>;
  pcDeleteIfEquals(key: string, expected: string): Promise<number>;
  pcWriteGrantMember(record: string, index: string, marker: string, payload: string, consumed: string, ttlMs: string): Promise<number>;
  pcWriteGrant(grant: string, marker: string, payload: string, ttlMs: string): Promise<number>;
  pcDestroyGrantMember(record: string, index: string): Promise<string>;
  pcRevokeGrant(index: string, grant: string, marker: string, floorMs: string): Promise<number>;
  pcAddToAccountIndex(index: string, member: string, expiresAtMs: string, nowMs: string): Promise<number>;
}

const SCRIPTS: ScriptTable<StoreCommands> = {
  pcWriteRecord: { numberOfKeys: 1, lua: WRITE_RECORD },
  pcConsumeRecord: { numberOfKeys: 1, lua: CONSUME_RECORD },
  pcTakeRecord: { numberOfKeys: 1, lua: TAKE_RECORD },
  pcDeleteIfEquals: { numberOfKeys: 1, lua: DELETE_IF_EQUALS },
  pcWriteGrantMember: { numberOfKeys: 3, lua: WRITE_GRANT_MEMBER },
  pcWriteGrant: { numberOfKeys: 2, lua: WRITE_GRANT },
  pcDestroyGrantMember: { numberOfKeys: 2, lua: DESTROY_GRANT_MEMBER },
  pcRevokeGrant: { numberOfKeys: 3, lua: REVOKE_GRANT },
  pcAddToAccountIndex: { numberOfKeys: 1, lua: ADD_TO_ACCOUNT_INDEX },
};

/** Number of KEYS each script takes (tests use it to check every script stays in one slot). */
export const SCRIPT_KEY_COUNTS = scriptKeyCounts(SCRIPTS);

/** Defines the scripts once per client and returns it typed with them. */
export function withStoreCommands(redis: RedisClient): RedisClient & StoreCommands {
  return defineScripts(redis, SCRIPTS);
}
