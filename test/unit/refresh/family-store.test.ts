// The family scripts on the embedded store (ioredis-mock runs the same Lua): every status `begin`
// can report, the compare-and-swap commit, and every script call kept in one cluster slot.
import { beforeEach, describe, expect, it } from 'vitest';
import { FAMILY_SCRIPT_KEY_COUNTS, FamilyStore, isRefreshFamilyKey, listGrantFamilies, type FamilyId, type Rotation } from '../../../src/refresh/family-store.ts';
import { createMemoryRedis, type RedisClient } from '../../../src/store/connect.ts';
import { createKeys } from '../../../src/store/keys.ts';
import { keySlot } from '../../helpers/keyslot.ts';
import { recordCalls, type RecordedCall } from '../../helpers/recording-redis.ts';

const ID: FamilyId = { grantId: 'grantAAAA', familyId: 'familyBB' };
const keys = createKeys('unit');
const NEW = { hash: 'h0', clientId: 'spa', generation: 0, expiresAt: 2_000_000_000, payload: '{"scope":"openid|x"}', nowMs: 1_000, ttlMs: 60_000 };

function rotation(oldHash: string, newHash: string, generation: number, lockOwner: string): Rotation {
  return { oldHash, newHash, generation, expiresAt: 2_000_000_100, payload: `{"g":${generation}}`, nowMs: 2_000 + generation, ttlMs: 60_000, sealed: Buffer.from([0, 255, 124, 1]), graceMs: 15_000, lockOwner };
}

let redis: RedisClient;
let store: FamilyStore;
let calls: RecordedCall[];

beforeEach(async () => {
  redis = createMemoryRedis();
  // Embedded stores share their data within the process.
  await redis.flushall();
  const recorded = recordCalls(redis);
  calls = recorded.calls;
  store = new FamilyStore(recorded.client, keys);
});

describe('FamilyStore', () => {
  it('reports missing, wrong client, current (taking the lock) and busy', async () => {
    expect(await store.begin(ID, 'h0', 'spa', 'me', 3_000)).toEqual({ status: 'missing' });
    expect(await store.create(ID, NEW)).toBe(true);
    expect(await store.begin(ID, 'h0', 'web', 'me', 3_000)).toEqual({ status: 'client' });
    const current = await store.begin(ID, 'h0', 'spa', 'me', 3_000);
    expect(current).toEqual({ status: 'current', family: { generation: 0, expiresAt: 2_000_000_000, payload: '{"scope":"openid|x"}', issuedAt: 1_000, previousIssuedAt: undefined } });
    expect(await store.begin(ID, 'h0', 'spa', 'you', 3_000)).toEqual({ status: 'busy' });
    // Without a lock owner (clients that do not rotate) nobody waits.
    expect((await store.begin(ID, 'h0', 'spa', '', 3_000)).status).toBe('current');
  });

  it('commits a rotation only while the old token is current, keeping the grace entry and freeing the lock', async () => {
    await store.create(ID, NEW);
    await store.begin(ID, 'h0', 'spa', 'me', 3_000);
    expect(await store.commitRotation(ID, rotation('h0', 'h1', 1, 'me'))).toBe(true);
    expect(await store.commitRotation(ID, rotation('h0', 'h1b', 1, 'late'))).toBe(false);
    expect(await store.readGrace(ID)).toEqual(Buffer.from([0, 255, 124, 1]));
    expect(await store.read(ID)).toEqual({ hash: 'h1', clientId: 'spa', generation: 1, expiresAt: 2_000_000_100, issuedAt: 2_001, payload: '{"g":1}' });
    // The lock is free again: the successor can rotate at once.
    expect((await store.begin(ID, 'h1', 'spa', 'next', 3_000)).status).toBe('current');
    expect((await store.begin(ID, 'h0', 'spa', 'x', 3_000)).status).toBe('grace');
  });

  it('tells the predecessor without a grace entry (expired) from older tokens (superseded)', async () => {
    await store.create(ID, NEW);
    await store.commitRotation(ID, { ...rotation('h0', 'h1', 1, 'me'), graceMs: 0 });
    expect(await store.readGrace(ID)).toBeNull();
    expect((await store.begin(ID, 'h0', 'spa', 'x', 3_000)).status).toBe('expired');
    await store.commitRotation(ID, rotation('h1', 'h2', 2, 'me'));
    const older = await store.begin(ID, 'h0', 'spa', 'x', 3_000);
    expect(older).toMatchObject({ status: 'superseded', family: { generation: 2, issuedAt: 2_002, previousIssuedAt: 2_001 } });
  });

  it('slides the expiry of the current token only, and destroys only by the current token', async () => {
    await store.create(ID, NEW);
    expect(await store.touch(ID, 'other', 2_000_000_500, 60_000)).toBe(false);
    expect(await store.touch(ID, 'h0', 2_000_000_500, 60_000)).toBe(true);
    expect((await store.read(ID))?.expiresAt).toBe(2_000_000_500);
    expect(await store.destroy(ID, 'other')).toBe(false);
    expect(await store.destroy(ID, 'h0')).toBe(true);
    expect(await store.read(ID)).toBeUndefined();
  });

  it('starts no family for a revoked grant, and a rotation cannot resurrect one', async () => {
    await redis.set(keys.grantRevoked(ID.grantId), '1');
    expect(await store.create(ID, NEW)).toBe(false);
    expect(await store.commitRotation(ID, rotation('h0', 'h1', 1, 'me'))).toBe(false);
    expect(await store.read(ID)).toBeUndefined();
  });

  it('lists the family in its grant index, which outlives it', async () => {
    await store.create(ID, NEW);
    expect(await redis.smembers(keys.grantIndex(ID.grantId))).toEqual([keys.refreshFamily(ID.grantId, ID.familyId)]);
    expect(await redis.pttl(keys.grantIndex(ID.grantId))).toBeGreaterThanOrEqual(await redis.pttl(keys.refreshFamily(ID.grantId, ID.familyId)));
  });

  it('sends every script to a single cluster slot', async () => {
    await store.create(ID, NEW);
    await store.begin(ID, 'h0', 'spa', 'me', 3_000);
    await store.commitRotation(ID, rotation('h0', 'h1', 1, 'me'));
    await store.touch(ID, 'h1', 2_000_000_500, 60_000);
    await store.release(ID, 'me');
    await store.destroy(ID, 'h1');
    const scripts = calls.filter((call) => call.name in FAMILY_SCRIPT_KEY_COUNTS);
    expect(new Set(scripts.map((call) => call.name))).toEqual(new Set(Object.keys(FAMILY_SCRIPT_KEY_COUNTS)));
    for (const call of scripts) {
      const count = FAMILY_SCRIPT_KEY_COUNTS[call.name] as number;
      const slots = new Set(call.args.slice(0, count).map((key) => keySlot(String(key))));
      expect(slots.size, `${call.name} ${JSON.stringify(call.args.slice(0, count))}`).toBe(1);
    }
  });
});

describe('listGrantFamilies', () => {
  it('lists every family of a grant from its index, and nothing else of it', async () => {
    const other: FamilyId = { grantId: ID.grantId, familyId: 'familyCC' };
    await store.create(ID, NEW);
    await store.create(other, { ...NEW, hash: 'k0' });
    await store.commitRotation(other, rotation('k0', 'k1', 1, ''));
    await redis.sadd(keys.grantIndex(ID.grantId), keys.grantRecord('AuthorizationCode', ID.grantId, 'code1'));
    const families = await listGrantFamilies(redis, keys, ID.grantId);
    expect(families.map((family) => [family.hash, family.generation, family.issuedAt]).sort()).toEqual([['h0', 0, 1_000], ['k1', 1, 2_001]]);
    expect(isRefreshFamilyKey(keys, ID.grantId, keys.refreshFamily(ID.grantId, 'any'))).toBe(true);
    expect(isRefreshFamilyKey(keys, ID.grantId, keys.refreshGrace(ID.grantId, 'any'))).toBe(false);
    expect(isRefreshFamilyKey(keys, 'otherGrant', keys.refreshFamily(ID.grantId, 'any'))).toBe(false);
  });
});
