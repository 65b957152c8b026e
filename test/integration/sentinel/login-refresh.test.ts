// Smoke test of `connectRedis({ sentinel })`: the provider finds its master through a real
// Sentinel, and a login (code + PKCE through the real forms) and refresh rotations work on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startPortcullis, type RunningPortcullis } from '../../helpers/portcullis.ts';
import { startRedisSentinel, type RedisSentinel } from '../../helpers/redis-sentinel.ts';
import { introspect, login, PASSWORD, refresh, USERNAME } from '../refresh/support.ts';

let sentinel: RedisSentinel;
let op: RunningPortcullis;

beforeAll(async () => {
  sentinel = await startRedisSentinel();
  op = await startPortcullis({ sentinel: { name: sentinel.name, sentinels: sentinel.sentinels } });
  await op.accounts.create({ username: USERNAME, password: PASSWORD });
});

afterAll(async () => {
  await op?.close();
  await sentinel?.stop();
});

describe('Portcullis through Redis Sentinel', () => {
  it('logs in and rotates refresh tokens on the master the Sentinel names', async () => {
    const tokens = await login(op, 'spa');
    const first = await refresh(op, 'spa', tokens.refresh_token as string);
    expect(first.status).toBe(200);
    const second = await refresh(op, 'spa', first.body.refresh_token as string);
    expect(second.status).toBe(200);
    expect(await introspect(op, second.body.refresh_token as string)).toMatchObject({ active: true, client_id: 'spa' });
    expect(await introspect(op, tokens.refresh_token as string)).toEqual({ active: false });

    // The state is on the master the Sentinel monitors, reached directly here.
    const direct = new Redis(sentinel.master.url);
    try {
      expect((await direct.keys(`${op.config.redis.keyPrefix}:*`)).length).toBeGreaterThan(0);
    } finally {
      direct.disconnect();
    }
  });
});
