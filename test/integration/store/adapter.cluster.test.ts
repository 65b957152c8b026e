// The adapter contract on a real Redis Cluster (three masters): every script and command must stay
// in one hash slot, or the cluster answers CROSSSLOT / MOVED where a standalone server would not.
import { afterAll, beforeAll, describe } from 'vitest';
import { connectRedis, type RedisClient } from '../../../src/store/connect.ts';
import { startRedisCluster, type RedisCluster } from '../../helpers/redis-cluster.ts';
import { adapterContract } from '../../contract/adapter.contract.ts';
import { contractStore } from '../../contract/contract-store.ts';

let cluster: RedisCluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
});

afterAll(async () => {
  await cluster.stop();
});

describe('Redis adapter on Redis Cluster', () => {
  adapterContract(async () =>
    contractStore(
      (): RedisClient => connectRedis({ cluster: { nodes: cluster.nodes } }),
      (client) => client.quit(),
    ),
  );
});
