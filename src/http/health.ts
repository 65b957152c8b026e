// Liveness (/healthz: the process answers) and readiness (/readyz: the store answers too).
import type { Middleware } from 'koa';
import type { RedisClient } from '../store/connect.ts';

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
        await redis.ping();
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
