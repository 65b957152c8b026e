// The write primitive: entry format on the stream, MINID trimming, acknowledgement and WAIT.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DenylistReplicationError, appendDenylistEntry, type DenylistEntry } from '../../../src/revocation/denylist.ts';
import { createKeys } from '../../../src/store/keys.ts';
import { startRedisServer } from '../../helpers/redis-server.ts';
import { waitFor } from './support/wait-for.ts';

let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(() => {
  redis.disconnect();
});

describe('appendDenylistEntry', () => {
  it('writes the contract fields and returns the stream id', async () => {
    const keys = createKeys(`t${randomUUID().slice(0, 8)}`);
    const { id } = await appendDenylistEntry(redis, keys, { kind: 'sub', value: 'u1', before: 1_800_000_000, expiresAt: 1_800_003_600 }, { maxTokenTtlSeconds: 3600 });
    const entries = await redis.xrange(keys.denylistStream(), '-', '+');
    expect(entries).toEqual([[id, ['kind', 'sub', 'value', 'u1', 'expires_at', '1800003600', 'before', '1800000000']]]);
  });

  it('trims entries older than the longest token lifetime (plus the clock-skew margin)', async () => {
    const keys = createKeys(`t${randomUUID().slice(0, 8)}`);
    const stream = keys.denylistStream();
    await redis.xadd(stream, `${Date.now() - 200_000}-0`, 'kind', 'jti', 'value', 'old', 'expires_at', '1');
    await redis.xadd(stream, `${Date.now() - 30_000}-0`, 'kind', 'jti', 'value', 'recent', 'expires_at', '1');
    await appendDenylistEntry(redis, keys, { kind: 'jti', value: 'new', expiresAt: 2_000_000_000 }, { maxTokenTtlSeconds: 60 });
    const values = (await redis.xrange(stream, '-', '+')).map(([, fields]) => fields[3]);
    expect(values).toEqual(['recent', 'new']);
  });

  it.each<[string, unknown]>([
    ['an unknown kind', { kind: 'user', value: 'x', expiresAt: 1 }],
    ['an empty value', { kind: 'jti', value: '', expiresAt: 1 }],
    ['expiresAt in ms as a float', { kind: 'jti', value: 'x', expiresAt: 1.5 }],
    ['sub without before', { kind: 'sub', value: 'x', expiresAt: 1 }],
  ])('refuses %s with a TypeError', async (_name, entry) => {
    const keys = createKeys('t');
    await expect(appendDenylistEntry(redis, keys, entry as DenylistEntry, { maxTokenTtlSeconds: 60 })).rejects.toThrow(TypeError);
  });

  it('waitForReplicas: resolves once a real replica acknowledged, throws when none did', async () => {
    const primary = await startRedisServer();
    const replica = await startRedisServer();
    const primaryClient = new Redis(primary.url);
    const replicaClient = new Redis(replica.url);
    try {
      const keys = createKeys('t');
      const entry: DenylistEntry = { kind: 'grant', value: 'g1', expiresAt: 2_000_000_000 };
      await expect(appendDenylistEntry(primaryClient, keys, entry, { maxTokenTtlSeconds: 60, waitForReplicas: { timeoutMs: 100 } })).rejects.toBeInstanceOf(
        DenylistReplicationError,
      );
      await replicaClient.replicaof('127.0.0.1', String(primary.port));
      await waitFor(async () => /master_link_status:up/.test(await replicaClient.info('replication')), 10_000, 50);
      const result = await appendDenylistEntry(primaryClient, keys, entry, { maxTokenTtlSeconds: 60, waitForReplicas: { timeoutMs: 2_000 } });
      expect(result.replicas).toBe(1);
      expect(await replicaClient.xlen(keys.denylistStream())).toBe(2);
    } finally {
      primaryClient.disconnect();
      replicaClient.disconnect();
      await replica.destroy();
      await primary.destroy();
    }
  });
});
