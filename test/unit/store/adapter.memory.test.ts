// The adapter contract on the embedded development store (ioredis-mock running our Lua).
import { describe } from 'vitest';
import { createMemoryRedis } from '../../../src/store/connect.ts';
import { adapterContract } from '../../contract/adapter.contract.ts';
import { contractStore } from '../../contract/contract-store.ts';

describe('Redis adapter on the embedded store', () => {
  adapterContract(async () =>
    contractStore(
      // ioredis-mock instances share one keyspace, like connections to one server.
      () => createMemoryRedis(),
      (client) => client.disconnect(),
    ),
  );
});
