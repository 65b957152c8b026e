// Redis unreachable: the admin API answers 503 ERR_ADMIN_UNAVAILABLE (JSON, Retry-After, no stack),
// never a 500 and never a silent success; it cannot check the denylist, so it refuses to act
// (fail closed). It recovers by itself when Redis returns.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortcullis, TEST_CLIENTS, type RunningPortcullis } from '../../helpers/portcullis.ts';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.ts';
import { STACK_TRACE } from '../conformance/support.ts';
import { ADMIN_CLIENTS, admin, automationToken } from './support.ts';

let redis: RedisServer;
let op: RunningPortcullis;

beforeAll(async () => {
  redis = await startRedisServer({ persistent: true });
  op = await startPortcullis({ redisUrl: redis.url, overrides: { clients: [...TEST_CLIENTS, ...ADMIN_CLIENTS] } });
});

afterAll(async () => {
  await op.close();
  await redis.destroy();
});

describe('admin API while Redis is down', () => {
  it('answers 503 ERR_ADMIN_UNAVAILABLE, then serves again once Redis is back', async () => {
    const token = await automationToken(op);
    const account = await op.accounts.create({ username: 'quinn', password: 'quinn password 1' });
    expect((await admin(op, 'GET', '/accounts', { token })).status).toBe(200);

    await redis.stop();
    try {
      for (const [method, path] of [['GET', '/accounts'], ['POST', `/accounts/${account.id}/revoke`]] as const) {
        const response = await admin(op, method, path, { token });
        expect(response.status).toBe(503);
        expect(response.body.code).toBe('ERR_ADMIN_UNAVAILABLE');
        expect(response.headers.get('retry-after')).toBe('2');
        expect(JSON.stringify(response.body)).not.toMatch(STACK_TRACE);
      }
    } finally {
      await redis.restart();
    }

    let status = 0;
    for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
      status = (await admin(op, 'GET', '/accounts', { token })).status;
      if (status !== 200) await sleep(100);
    }
    expect(status).toBe(200);
  });
});
