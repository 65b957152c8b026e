// The adapter contract on the embedded development store (ioredis-mock running our Lua).
import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { createMemoryRedis, type RedisClient } from '../../../src/store/connect.ts';
import { adapterContract } from '../../contract/adapter.contract.ts';

describe('Redis adapter on the embedded store', () => {
  adapterContract(async () => {
    const prefix = `t${randomUUID().slice(0, 8)}`;
    const opened: RedisClient[] = [];
    const open = (): RedisClient => {
      // ioredis-mock instances share one keyspace, like connections to one server.
      const client = createMemoryRedis();
      opened.push(client);
      return client;
    };
    const redis = open();
    return {
      redis,
      prefix,
      connect: open,
      dispose: async () => {
        const keys = await redis.keys(`${prefix}:*`);
        for (const key of keys) await redis.del(key);
        for (const client of opened) client.disconnect();
      },
    };
  });
});
