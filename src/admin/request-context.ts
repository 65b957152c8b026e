// Per-request facts the audit trail needs: a request id (the caller's, if sane, so one id follows
// a call across systems) and the source address (Koa's ctx.ip honours trustProxy).
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { Origin } from '../revocation/audit.ts';

// Long enough for UUIDs, W3C trace ids and most gateways' ids; nothing that could break a log line.
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const origins = new WeakMap<Context, Origin>();

/** Assigns the request id (echoed as `X-Request-Id`) and remembers the origin. */
export function assignOrigin(ctx: Context): Origin {
  const offered = ctx.get('x-request-id');
  const requestId = CALLER_REQUEST_ID.test(offered) ? offered : randomUUID();
  ctx.set('X-Request-Id', requestId);
  const origin: Origin = { ip: ctx.ip, requestId };
  origins.set(ctx, origin);
  return origin;
}

export function originOf(ctx: Context): Origin {
  return origins.get(ctx) ?? assignOrigin(ctx);
}
