// The adapter contract on a real redis-server (the private one from globalSetup), plus what only
// a real server can show: connection failures surface as StoreUnavailableError.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { createAdapterFactory } from '../../../src/store/adapter.ts';
import type { RedisClient } from '../../../src/store/connect.ts';
import { createKeys } from '../../../src/store/keys.ts';
import { freePort } from '../../helpers/redis-server.ts';
import { adapterContract } from '../../contract/adapter.contract.ts';
import { contractStore } from '../../contract/contract-store.ts';

const redisUrl = inject('redisUrl');

describe('Redis adapter on redis-server', () => {
  adapterContract(async () =>
    contractStore(
      () => new Redis(redisUrl, { enableAutoPipelining: true }),
      (client) => client.quit(),
    ),
  );

  it('reports an unreachable store as ERR_STORE_UNAVAILABLE', async () => {
    const port = await freePort();
    const client: RedisClient = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    client.on('error', () => undefined);
    try {
      const adapter = createAdapterFactory(client, createKeys(`t${randomUUID().slice(0, 8)}`));
      await expect(adapter('Session').find('s')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', name: 'StoreUnavailableError' });
      await expect(adapter('AccessToken').upsert('a', { grantId: 'g' }, 60)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    } finally {
      client.disconnect();
    }
  });

  it('lets logic errors through unwrapped', async () => {
    const client = new Redis(redisUrl);
    const keys = createKeys(`t${randomUUID().slice(0, 8)}`);
    try {
      // A key of the wrong type is a bug, not an outage: it must not be answered with 503.
      await client.set(keys.record('Session', 's'), 'not a hash', 'EX', 60);
      const error: unknown = await createAdapterFactory(client, keys)('Session').find('s').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/WRONGTYPE/);
      expect((error as { code?: unknown }).code).not.toBe('ERR_STORE_UNAVAILABLE');
    } finally {
      await client.del(keys.record('Session', 's'));
      await client.quit();
    }
  });
});
