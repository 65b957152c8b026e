// How a contract run gets its store: a fresh key prefix, every connection it opens remembered, and
// a dispose that deletes the prefix's keys and closes them all. Only opening and closing a
// connection differ between the stores.
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../src/store/connect.ts';
import { keysMatching } from '../helpers/redis-cluster.ts';
import type { ContractStore } from './adapter.contract.ts';

export function contractStore<Client extends RedisClient>(open: () => Client, close: (client: Client) => Promise<unknown> | void): ContractStore {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const opened: Client[] = [];
  const connect = (): Client => {
    const client = open();
    opened.push(client);
    return client;
  };
  const redis = connect();
  return {
    redis,
    prefix,
    connect,
    dispose: async () => {
      for (const key of await keysMatching(redis, `${prefix}:*`)) await redis.del(key);
      await Promise.all(opened.map((client) => close(client)));
    },
  };
}
