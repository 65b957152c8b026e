// Liveness (/healthz: the process answers) and readiness (/readyz: the store answers too).
import { Cluster } from 'ioredis';
import type { Middleware } from 'koa';
import type { RedisClient } from '../store/connect.ts';

/**
 * Whether the store can serve keyed commands. On a Cluster a PING succeeds on any live node even
 * while the cluster refuses every key (a master without a replica has failed), so ask the cluster.
 */
async function storeServes(redis: RedisClient): Promise<boolean> {
  if (redis instanceof Cluster) return /^cluster_state:ok\b/m.test(String(await redis.cluster('INFO')));
  return (await redis.ping()) === 'PONG';
}

export function health(redis: RedisClient): Middleware {
  return async (ctx, next) => {
    if (ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    if (ctx.path === '/readyz') {
      try {
        // A disconnected client would queue the PING until its next reconnect attempt (seconds
        // away under backoff); readiness answers at once. The embedded store has no status.
        if (redis.status && redis.status !== 'ready') throw new Error(`store connection ${redis.status}`);
        if (!(await storeServes(redis))) throw new Error('store cannot serve');
        ctx.body = { status: 'ok', store: 'ok' };
      } catch {
        ctx.status = 503;
        ctx.body = { status: 'unavailable', store: 'unreachable' };
      }
      return;
    }
    await next();
  };
}
