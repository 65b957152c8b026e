// Turns configuration into one ioredis client. The same code path serves standalone Redis,
// Sentinel and Cluster; without a URL it serves the embedded development store.
import { Cluster, Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';

/** What every store module talks to: a standalone, Sentinel or Cluster client. */
export type RedisClient = Redis | Cluster;

export interface StoreConnection {
  /** `cluster:` a list of seed nodes; `sentinel:` a master name and sentinels; else one URL. */
  url?: string | undefined;
  cluster?: { nodes: string[] } | undefined;
  sentinel?: { name: string; sentinels: string[]; password?: string | undefined } | undefined;
}

function hostPort(address: string): { host: string; port: number } {
  const url = new URL(address.includes('://') ? address : `redis://${address}`);
  return { host: url.hostname, port: Number(url.port || 6379) };
}

/**
 * Connects to Redis. Commands queue while the connection is down and fail after
 * `maxRetriesPerRequest`, so a request waits briefly and then answers 503 instead of hanging.
 */
export function connectRedis(connection: StoreConnection): RedisClient {
  const common = {
    // A queued command fails after this many reconnect attempts: with the 500 ms backoff cap
    // below, a request answers 503 within about a second of Redis going away, never hangs.
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    // Reconnect forever with a capped backoff: the service must recover by itself, and the cap
    // bounds both the 503 latency during an outage and the recovery delay after it.
    retryStrategy: (attempt: number) => Math.min(attempt * 50, 500),
  };
  if (connection.cluster) {
    return new Cluster(connection.cluster.nodes.map(hostPort), {
      redisOptions: { maxRetriesPerRequest: common.maxRetriesPerRequest },
      enableAutoPipelining: true,
      clusterRetryStrategy: common.retryStrategy,
    });
  }
  if (connection.sentinel) {
    return new Redis({
      ...common,
      name: connection.sentinel.name,
      sentinels: connection.sentinel.sentinels.map(hostPort),
      password: connection.sentinel.password,
    });
  }
  if (connection.url) return new Redis(connection.url, common);
  return createMemoryRedis();
}

/**
 * The embedded development store: an in-process Redis emulation (ioredis-mock) that runs our
 * Lua scripts, so development and production share every line of store code.
 */
export function createMemoryRedis(): RedisClient {
  // ioredis-mock mirrors ioredis' API but ships its own class; the cast names the shared surface.
  return new RedisMock() as unknown as Redis;
}

export function isMemoryRedis(client: RedisClient): boolean {
  return client instanceof RedisMock;
}
