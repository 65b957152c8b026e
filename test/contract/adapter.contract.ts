// The contract every Portcullis store must honour, run unchanged against the embedded store
// (ioredis-mock) and a real redis-server. Each test gets a fresh client and its own key prefix.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdapterPayload } from 'oidc-provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdapterFactory, listAccountGrants, listAccountSessions, type RedisAdapter } from '../../src/store/adapter.ts';
import type { RedisClient } from '../../src/store/connect.ts';
import { createKeys, type Keys } from '../../src/store/keys.ts';
import { SCRIPT_KEY_COUNTS } from '../../src/store/scripts/register.ts';
import { keySlot } from '../helpers/keyslot.ts';
import { keysMatching } from '../helpers/redis-cluster.ts';
import { recordCalls } from '../helpers/recording-redis.ts';

export interface ContractStore {
  /** A fresh client on the store under test. */
  readonly redis: RedisClient;
  /** Unique per call: every key this test writes starts with it. */
  readonly prefix: string;
  /** Another connection to the same store, so races run over several connections. */
  connect(): RedisClient;
  /** Deletes this test's keys and closes every connection it opened. */
  dispose(): Promise<void>;
}

const HOUR = 3600;
// PTTL is read a moment after the write; this much drift is "equal" to the TTL that was set.
const TTL_SLACK_MS = 2_000;

async function expectTtl(redis: RedisClient, key: string, seconds: number): Promise<void> {
  const pttl = await redis.pttl(key);
  expect(pttl, key).toBeLessThanOrEqual(seconds * 1000);
  expect(pttl, key).toBeGreaterThan(seconds * 1000 - TTL_SLACK_MS);
}

function rejectionCode(result: PromiseSettledResult<unknown>): string | undefined {
  if (result.status === 'fulfilled') return undefined;
  return (result.reason as { code?: string }).code ?? String(result.reason);
}

export function adapterContract(openStore: () => Promise<ContractStore>): void {
  let store: ContractStore;
  let redis: RedisClient;
  let keys: Keys;
  let adapter: (model: string) => RedisAdapter;

  const id = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
  const allKeys = (): Promise<string[]> => keysMatching(redis, `${store.prefix}:*`);
  const token = (grantId: string, extra: Partial<AdapterPayload> = {}): AdapterPayload => ({
    grantId,
    accountId: 'acct',
    clientId: 'client',
    kind: 'AccessToken',
    ...extra,
  });

  beforeEach(async () => {
    store = await openStore();
    redis = store.redis;
    keys = createKeys(store.prefix);
    adapter = createAdapterFactory(redis, keys);
  });

  afterEach(async () => {
    await store.dispose();
  });

  describe('upsert and find', () => {
    it('round-trips plain, grant-bound, Grant and Session payloads', async () => {
      const grantId = id('g');
      const cases: [string, string, AdapterPayload][] = [
        ['Interaction', id('i'), { returnTo: 'https://rp.example/cb', params: { a: 1 } }],
        ['AccessToken', id('at'), token(grantId, { scope: 'openid' })],
        ['Grant', grantId, { accountId: 'acct', clientId: 'client', kind: 'Grant' }],
        ['Session', id('s'), { uid: id('uid'), accountId: 'acct', kind: 'Session' }],
      ];
      for (const [model, recordId, payload] of cases) {
        await adapter(model).upsert(recordId, payload, HOUR);
        expect(await adapter(model).find(recordId), model).toEqual(payload);
      }
    });

    it('answers undefined for an unknown id and replaces a payload on a second upsert', async () => {
      expect(await adapter('Interaction').find('nope')).toBeUndefined();
      expect(await adapter('AccessToken').find('nope')).toBeUndefined();
      const rec = id('i');
      await adapter('Interaction').upsert(rec, { returnTo: 'a', result: { login: { accountId: 'x' } } }, HOUR);
      await adapter('Interaction').upsert(rec, { returnTo: 'b' }, HOUR);
      expect(await adapter('Interaction').find(rec)).toEqual({ returnTo: 'b' });
    });

    it('moves a device code saved before its grant into the grant once bound', async () => {
      const dc = adapter('DeviceCode');
      const rec = id('dc');
      const userCode = id('UC');
      await dc.upsert(rec, { userCode, clientId: 'c' }, HOUR);
      expect(await dc.findByUserCode(userCode)).toEqual({ userCode, clientId: 'c' });
      const grantId = id('g');
      await dc.upsert(rec, { userCode, clientId: 'c', grantId, accountId: 'acct' }, HOUR);
      expect(await dc.find(rec)).toMatchObject({ grantId });
      expect(await redis.exists(keys.record('DeviceCode', rec))).toBe(0);
      expect(await redis.exists(keys.grantRecord('DeviceCode', grantId, rec))).toBe(1);
      await dc.revokeByGrantId(grantId);
      expect(await dc.findByUserCode(userCode)).toBeUndefined();
    });
  });

  describe('TTL', () => {
    it('gives every key it writes the TTL of expiresIn, and no key lives without one', async () => {
      const grantId = id('g');
      const at = id('at');
      const dc = id('dc');
      const session = id('s');
      const uid = id('uid');
      const userCode = id('UC');
      await adapter('Grant').upsert(grantId, { accountId: 'acct', kind: 'Grant' }, 5 * HOUR);
      await adapter('AccessToken').upsert(at, token(grantId), HOUR);
      await adapter('DeviceCode').upsert(dc, token(grantId, { userCode }), 2 * HOUR);
      await adapter('Session').upsert(session, { uid, accountId: 'acct' }, 3 * HOUR);
      await adapter('Interaction').upsert(id('i'), { returnTo: 'x' }, 600);

      await expectTtl(redis, keys.record('Grant', grantId), 5 * HOUR);
      await expectTtl(redis, keys.grantRecord('AccessToken', grantId, at), HOUR);
      await expectTtl(redis, keys.grantPointer('AccessToken', at), HOUR);
      await expectTtl(redis, keys.grantRecord('DeviceCode', grantId, dc), 2 * HOUR);
      await expectTtl(redis, keys.lookup('DeviceCode', 'userCode', userCode), 2 * HOUR);
      // The index lives exactly as long as its longest member.
      await expectTtl(redis, keys.grantIndex(grantId), 2 * HOUR);
      await expectTtl(redis, keys.record('Session', session), 3 * HOUR);
      await expectTtl(redis, keys.lookup('Session', 'uid', uid), 3 * HOUR);
      await expectTtl(redis, keys.accountGrants('acct'), 5 * HOUR);
      await expectTtl(redis, keys.accountSessions('acct'), 3 * HOUR);

      const written = await allKeys();
      expect(written.length).toBe(12);
      for (const key of written) expect(await redis.pttl(key), key).toBeGreaterThan(0);
    });

    it('shortens the index TTL to the longest remaining member when one is destroyed', async () => {
      const grantId = id('g');
      const [short, long] = [id('at'), id('rt')];
      await adapter('AccessToken').upsert(short, token(grantId), HOUR);
      await adapter('RefreshToken').upsert(long, token(grantId), 4 * HOUR);
      await expectTtl(redis, keys.grantIndex(grantId), 4 * HOUR);
      await adapter('RefreshToken').destroy(long);
      await expectTtl(redis, keys.grantIndex(grantId), HOUR);
      await adapter('AccessToken').destroy(short);
      expect(await redis.exists(keys.grantIndex(grantId))).toBe(0);
    });

    it('forgets expired records and never recreates them on consume', async () => {
      const grantId = id('g');
      const [code, interaction] = [id('ac'), id('i')];
      await adapter('AuthorizationCode').upsert(code, token(grantId), 0.15);
      await adapter('Interaction').upsert(interaction, { returnTo: 'x' }, 0.15);
      await sleep(300);
      expect(await adapter('AuthorizationCode').find(code)).toBeUndefined();
      expect(await adapter('Interaction').find(interaction)).toBeUndefined();
      expect(await adapter('AuthorizationCode').tryConsume(code)).toBe('not-found');
      await adapter('Interaction').consume(interaction);
      expect(await redis.exists(keys.grantRecord('AuthorizationCode', grantId, code))).toBe(0);
      expect(await redis.exists(keys.record('AuthorizationCode', code))).toBe(0);
      expect(await redis.exists(keys.record('Interaction', interaction))).toBe(0);
      expect(await allKeys()).toEqual([]);
    });

    it('refuses to keep a grant-bound record forever', async () => {
      await expect(adapter('AccessToken').upsert(id('at'), token(id('g')))).rejects.toThrow(TypeError);
    });
  });

  describe('consume', () => {
    it('marks the record consumed once, keeps its TTL, and keeps the first timestamp', async () => {
      let skewMs = 0;
      const clocked = createAdapterFactory(redis, keys, { now: () => Date.now() + skewMs })('RefreshToken');
      const grantId = id('g');
      const rt = id('rt');
      await clocked.upsert(rt, token(grantId), HOUR);
      expect((await clocked.find(rt))?.consumed).toBeUndefined();

      const before = Math.floor(Date.now() / 1000);
      expect(await clocked.tryConsume(rt)).toBe('consumed');
      const first = (await clocked.find(rt))?.consumed as unknown;
      expect(first).toBeGreaterThanOrEqual(before);
      expect(first).toBeLessThanOrEqual(before + 1);
      await expectTtl(redis, keys.grantRecord('RefreshToken', grantId, rt), HOUR);

      skewMs = 60_000;
      await clocked.consume(rt);
      expect(await clocked.tryConsume(rt)).toBe('already-consumed');
      expect((await clocked.find(rt))?.consumed).toBe(first);
      expect(await clocked.find(rt)).toMatchObject(token(grantId));
    });

    it('keeps a consumed mark that arrives inside a re-saved payload', async () => {
      const rt = id('rt');
      await adapter('RefreshToken').upsert(rt, token(id('g'), { consumed: 1234 }), HOUR);
      expect((await adapter('RefreshToken').find(rt))?.consumed).toBe(1234);
      expect(await adapter('RefreshToken').tryConsume(rt)).toBe('already-consumed');
    });

    it('lets exactly one of 20 concurrent consumes win', async () => {
      const rt = id('rt');
      await adapter('RefreshToken').upsert(rt, token(id('g')), HOUR);
      const connections = [redis, store.connect(), store.connect(), store.connect()];
      const adapters = connections.map((client) => createAdapterFactory(client, keys)('RefreshToken'));
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => adapters[i % adapters.length]!.tryConsume(rt)),
      );
      expect(outcomes.filter((o) => o === 'consumed')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'already-consumed')).toHaveLength(19);
      expect((await adapter('RefreshToken').find(rt))?.consumed).toEqual(expect.any(Number));
    });
  });

  describe('secondary lookups', () => {
    it('finds a Session by uid and a DeviceCode by userCode', async () => {
      const [session, uid] = [id('s'), id('uid')];
      await adapter('Session').upsert(session, { uid, accountId: 'acct' }, HOUR);
      expect(await adapter('Session').findByUid(uid)).toEqual({ uid, accountId: 'acct' });
      expect(await adapter('Session').findByUid('unknown')).toBeUndefined();

      const [dc, userCode] = [id('dc'), id('UC')];
      await adapter('DeviceCode').upsert(dc, token(id('g'), { userCode }), HOUR);
      expect(await adapter('DeviceCode').findByUserCode(userCode)).toMatchObject({ userCode });
      expect(await adapter('DeviceCode').findByUserCode('unknown')).toBeUndefined();
    });

    it('does not resolve a stale lookup whose record moved to another value', async () => {
      const session = id('s');
      const [oldUid, newUid] = [id('uid'), id('uid')];
      await adapter('Session').upsert(session, { uid: oldUid }, HOUR);
      await adapter('Session').upsert(session, { uid: newUid }, HOUR);
      expect(await adapter('Session').findByUid(oldUid)).toBeUndefined();
      expect(await adapter('Session').findByUid(newUid)).toEqual({ uid: newUid });
    });

    it('destroy does not delete a secondary index reassigned to another record', async () => {
      const userCode = id('UC');
      const [first, second] = [id('dc'), id('dc')];
      const dc = adapter('DeviceCode');
      await dc.upsert(first, token(id('g'), { userCode }), HOUR);
      await dc.upsert(second, token(id('g'), { userCode }), HOUR);
      await dc.destroy(first);
      expect(await dc.find(first)).toBeUndefined();
      expect(await dc.findByUserCode(userCode)).toMatchObject({ userCode });
      expect(await redis.get(keys.lookup('DeviceCode', 'userCode', userCode))).toBe(second);

      const uid = id('uid');
      const [s1, s2] = [id('s'), id('s')];
      await adapter('Session').upsert(s1, { uid }, HOUR);
      await adapter('Session').upsert(s2, { uid }, HOUR);
      await adapter('Session').destroy(s1);
      expect(await adapter('Session').findByUid(uid)).toEqual({ uid });
      await adapter('Session').destroy(s2);
      expect(await redis.exists(keys.lookup('Session', 'uid', uid))).toBe(0);
    });
  });

  describe('revokeByGrantId', () => {
    it('removes every artifact of the grant and marks it revoked', async () => {
      const grantId = id('g');
      const other = id('g');
      const ids = { at: id('at'), rt: id('rt'), ac: id('ac'), dc: id('dc') };
      const userCode = id('UC');
      await adapter('Grant').upsert(grantId, { accountId: 'acct' }, 5 * HOUR);
      await adapter('AccessToken').upsert(ids.at, token(grantId), HOUR);
      await adapter('RefreshToken').upsert(ids.rt, token(grantId), 2 * HOUR);
      await adapter('AuthorizationCode').upsert(ids.ac, token(grantId), 60);
      await adapter('DeviceCode').upsert(ids.dc, token(grantId, { userCode }), 600);
      const survivor = id('at');
      await adapter('AccessToken').upsert(survivor, token(other), HOUR);

      await adapter('RefreshToken').revokeByGrantId(grantId);

      expect(await adapter('Grant').find(grantId)).toBeUndefined();
      expect(await adapter('AccessToken').find(ids.at)).toBeUndefined();
      expect(await adapter('RefreshToken').find(ids.rt)).toBeUndefined();
      expect(await adapter('AuthorizationCode').find(ids.ac)).toBeUndefined();
      expect(await adapter('DeviceCode').find(ids.dc)).toBeUndefined();
      expect(await adapter('DeviceCode').findByUserCode(userCode)).toBeUndefined();
      expect(await adapter('AccessToken').find(survivor)).toMatchObject({ grantId: other });

      const slot = keySlot(keys.grantIndex(grantId));
      const left = (await allKeys()).filter((key) => keySlot(key) === slot);
      expect(left).toEqual([keys.grantRevoked(grantId)]);
      // The marker outlives anything of the grant that could still be written.
      await expectTtl(redis, keys.grantRevoked(grantId), 5 * HOUR);

      // oidc-provider revokes once per model; later calls must not shorten the marker.
      await adapter('AccessToken').revokeByGrantId(grantId);
      await expectTtl(redis, keys.grantRevoked(grantId), 5 * HOUR);
    });

    it('refuses grant-bound and Grant upserts after a revocation', async () => {
      const grantId = id('g');
      await adapter('AccessToken').revokeByGrantId(grantId);
      const marker = await redis.pttl(keys.grantRevoked(grantId));
      expect(marker).toBeGreaterThan(60_000 - TTL_SLACK_MS);
      expect(marker).toBeLessThanOrEqual(60_000);

      const at = id('at');
      await expect(adapter('AccessToken').upsert(at, token(grantId), HOUR)).rejects.toMatchObject({
        code: 'ERR_GRANT_REVOKED',
        grantId,
      });
      await expect(adapter('Grant').upsert(grantId, { accountId: 'acct' }, HOUR)).rejects.toMatchObject({
        code: 'ERR_GRANT_REVOKED',
      });
      expect(await adapter('AccessToken').find(at)).toBeUndefined();
      expect(await adapter('Grant').find(grantId)).toBeUndefined();
      expect(await redis.exists(keys.grantIndex(grantId))).toBe(0);
    });

    it('leaves nothing findable when upserts race the revocation', async () => {
      const grantId = id('g');
      const connections = [redis, store.connect(), store.connect(), store.connect()];
      const adapters = connections.map((client) => createAdapterFactory(client, keys));
      const tokenIds = Array.from({ length: 60 }, () => id('at'));
      const jitter = (): Promise<void> => sleep(Math.floor(Math.random() * 15));

      let written = 0;
      const upserts = tokenIds.map(async (tokenId, i) => {
        await jitter();
        const models = ['AccessToken', 'RefreshToken', 'AuthorizationCode'];
        await adapters[i % adapters.length]!(models[i % 3]!).upsert(tokenId, token(grantId), HOUR);
        written += 1;
      });
      // Revoke in the middle of the stream: some writes landed before it, others are in flight.
      const revoke = (async () => {
        while (written < 5) await sleep(1);
        await adapters[3]!('AccessToken').revokeByGrantId(grantId);
      })();
      const results = await Promise.allSettled([...upserts, revoke]);

      for (const result of results) expect([undefined, 'ERR_GRANT_REVOKED']).toContain(rejectionCode(result));
      expect(results.filter((result) => result.status === 'fulfilled').length).toBeGreaterThan(5);
      for (const [i, tokenId] of tokenIds.entries()) {
        const model = ['AccessToken', 'RefreshToken', 'AuthorizationCode'][i % 3]!;
        expect(await adapter(model).find(tokenId), `${model} ${tokenId}`).toBeUndefined();
      }
      const slot = keySlot(keys.grantIndex(grantId));
      expect((await allKeys()).filter((key) => keySlot(key) === slot)).toEqual([keys.grantRevoked(grantId)]);
    });
  });

  describe('grant index', () => {
    it('stays bounded while members expire and rotate', async () => {
      const grantId = id('g');
      const at = adapter('AccessToken');
      // A long-lived member keeps the index alive, so only trimming can drop the expired ones.
      const anchor = id('rt');
      await adapter('RefreshToken').upsert(anchor, token(grantId), 2 * HOUR);
      // One second: long enough for 50 writes on the (slow, interpreted-Lua) embedded store.
      await Promise.all(Array.from({ length: 50 }, () => at.upsert(id('at'), token(grantId), 1)));
      expect(await redis.scard(keys.grantIndex(grantId))).toBe(51);
      await sleep(1_100);
      const live = id('at');
      await at.upsert(live, token(grantId), HOUR);
      expect((await redis.smembers(keys.grantIndex(grantId))).sort()).toEqual(
        [keys.grantRecord('RefreshToken', grantId, anchor), keys.grantRecord('AccessToken', grantId, live)].sort(),
      );
      await expectTtl(redis, keys.grantIndex(grantId), 2 * HOUR);

      // A long-lived grant rotating refresh tokens: each rotation destroys the previous one.
      const rt = adapter('RefreshToken');
      let previous: string | undefined;
      for (let i = 0; i < 30; i += 1) {
        const next = id('rt');
        await rt.upsert(next, token(grantId), HOUR);
        if (previous) await rt.destroy(previous);
        previous = next;
      }
      expect(await redis.scard(keys.grantIndex(grantId))).toBe(3);
    });
  });

  describe('cluster safety', () => {
    it('never sends a command or script that spans two hash slots', async () => {
      const { client, calls } = recordCalls(redis);
      const recorded = createAdapterFactory(client, keys);
      const grantId = id('g');
      const [at, rt, dc, session] = [id('at'), id('rt'), id('dc'), id('s')];
      await recorded('Grant').upsert(grantId, { accountId: 'acct' }, HOUR);
      await recorded('AccessToken').upsert(at, token(grantId), HOUR);
      await recorded('RefreshToken').upsert(rt, token(grantId), HOUR);
      await recorded('DeviceCode').upsert(dc, token(grantId, { userCode: id('UC') }), HOUR);
      await recorded('Session').upsert(session, { uid: id('uid'), accountId: 'acct' }, HOUR);
      await recorded('RefreshToken').consume(rt);
      await recorded('AccessToken').find(at);
      await recorded('DeviceCode').destroy(dc);
      await recorded('Session').destroy(session);
      expect(await redis.smembers(keys.grantIndex(grantId))).not.toHaveLength(0);
      for (const member of await redis.smembers(keys.grantIndex(grantId))) {
        expect(keySlot(member)).toBe(keySlot(keys.grantIndex(grantId)));
      }
      await recorded('AccessToken').revokeByGrantId(grantId);
      await listAccountGrants(client, keys, 'acct');

      const singleKey = new Set(['get', 'set', 'del', 'hgetall', 'hget', 'zrangebyscore', 'zrem']);
      const scripts = calls.filter((call) => call.name in SCRIPT_KEY_COUNTS);
      expect(scripts.length).toBeGreaterThan(5);
      for (const call of calls) {
        if (call.name === 'defineCommand') continue;
        const count = SCRIPT_KEY_COUNTS[call.name];
        if (count !== undefined) {
          const slots = new Set(call.args.slice(0, count).map((key) => keySlot(String(key))));
          expect(slots.size, `${call.name} ${call.args.slice(0, count).join(' ')}`).toBe(1);
        } else {
          expect(singleKey, `unexpected command ${call.name}`).toContain(call.name);
          if (call.name === 'del') expect(call.args).toHaveLength(1);
        }
      }
    });
  });

  describe('account indexes', () => {
    it('lists the live grants and sessions of an account', async () => {
      const [alice, bob] = [id('alice'), id('bob')];
      const [g1, g2, g3, gShort] = [id('g'), id('g'), id('g'), id('g')];
      await adapter('Grant').upsert(g1, { accountId: alice }, HOUR);
      await adapter('Grant').upsert(g2, { accountId: alice }, 2 * HOUR);
      await adapter('Grant').upsert(gShort, { accountId: alice }, 0.1);
      await adapter('Grant').upsert(g3, { accountId: bob }, HOUR);
      await sleep(200);
      expect((await listAccountGrants(redis, keys, alice)).sort()).toEqual([g1, g2].sort());
      expect(await listAccountGrants(redis, keys, bob)).toEqual([g3]);
      expect(await listAccountGrants(redis, keys, id('nobody'))).toEqual([]);
      await expectTtl(redis, keys.accountGrants(alice), 2 * HOUR);

      await adapter('Grant').destroy(g1);
      await adapter('AccessToken').revokeByGrantId(g2);
      expect(await listAccountGrants(redis, keys, alice)).toEqual([]);

      const [s1, s2] = [id('s'), id('s')];
      await adapter('Session').upsert(s1, { uid: id('u'), accountId: alice }, HOUR);
      await adapter('Session').upsert(s2, { uid: id('u'), accountId: alice }, HOUR);
      expect((await listAccountSessions(redis, keys, alice)).sort()).toEqual([s1, s2].sort());
      // The same session id re-saved for another account belongs to that account only.
      await adapter('Session').upsert(s2, { uid: id('u'), accountId: bob }, HOUR);
      await adapter('Session').destroy(s1);
      expect(await listAccountSessions(redis, keys, alice)).toEqual([]);
      expect(await listAccountSessions(redis, keys, bob)).toEqual([s2]);
      // Dead members are pruned when listed, so the set does not carry them until it expires.
      expect(await redis.zcard(keys.accountSessions(alice))).toBe(0);
    });
  });
}
