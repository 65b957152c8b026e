// AccountStore against the suite's real Redis.
import { Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';
import { accountStoreSuite } from '../../unit/accounts/account-store.suite.ts';

const clients: Redis[] = [];

afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
});

accountStoreSuite('a real Redis', () => {
  const client = new Redis(inject('redisUrl'));
  clients.push(client);
  return client;
});
