// The follower's own connection. A blocking XREAD would stall every other command on a shared
// connection, so the verifier always reads on a connection of its own.
import { Redis, type Cluster, type RedisOptions } from 'ioredis';

// Fail a pending read as soon as the connection drops instead of replaying it later: the follower
// retries by itself, from its last id, so a replay would only delay it.
const FOLLOWER_OPTIONS: Partial<RedisOptions> = {
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  enableAutoPipelining: false,
  // Loopback/LAN reconnects are cheap; retrying twice a second at most keeps recovery well inside
  // the staleness bound.
  retryStrategy: (attempt: number) => Math.min(attempt * 50, 500),
};

function isCluster(client: Redis | Cluster): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/**
 * Opens the connection the denylist follower owns: from a URL, or a duplicate of a given client.
 *
 * @example
 * ```ts
 * const connection = openFollowerConnection('redis://127.0.0.1:6379', console.error);
 * ```
 */
export function openFollowerConnection(redis: string | Redis | Cluster, onError?: (error: Error) => void): Redis | Cluster {
  const client = typeof redis === 'string' ? new Redis(redis, FOLLOWER_OPTIONS) : isCluster(redis) ? redis.duplicate() : redis.duplicate(FOLLOWER_OPTIONS);
  // Without a listener ioredis prints every reconnect error; the follower reports them instead.
  client.on('error', (error: Error) => onError?.(error));
  return client;
}
