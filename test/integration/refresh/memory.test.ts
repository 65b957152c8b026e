// Bounded memory: a login that rotates 1,000 times keeps a constant Redis footprint (every key of
// its grant, MEMORY USAGE), under 4 KB, and can still tell every one of its old tokens apart.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningPortcullis } from '../../helpers/portcullis.ts';
import { jwtClaims, login, refresh, sleep, startRefreshOp } from './support.ts';

const ROTATIONS = 1_000;
const BUDGET_BYTES = 4_096;

let op: RunningPortcullis;

beforeAll(async () => {
  op = await startRefreshOp(inject('redisUrl'));
});

afterAll(async () => {
  await op.close();
});

/** Every key under this test's prefix that carries the grant's hash tag, with its exact MEMORY USAGE. */
async function grantFootprint(grantId: string): Promise<Map<string, number>> {
  const footprint = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, keys] = await op.redis.scan(cursor, 'MATCH', `${op.keys.prefix}:*{${grantId}}*`, 'COUNT', 1000);
    cursor = next;
    // SAMPLES 0: count every field of a hash or set; the default samples 5 and extrapolates.
    for (const key of keys) footprint.set(key, (await op.redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number);
  } while (cursor !== '0');
  return footprint;
}

describe('the Redis footprint of one login', () => {
  it(`stays under ${BUDGET_BYTES} bytes after ${ROTATIONS} rotations, and old generations still count as reuse`, { timeout: 120_000 }, async () => {
    const tokens = await login(op, 'spa-grace1');
    const grantId = jwtClaims(tokens.access_token).grant_id as string;
    const before = await grantFootprint(grantId);

    const issued: string[] = [tokens.refresh_token as string];
    for (let i = 0; i < ROTATIONS; i += 1) {
      const next = await refresh(op, 'spa-grace1', issued.at(-1) as string);
      expect(next.status).toBe(200);
      issued.push(next.body.refresh_token as string);
    }

    const after = await grantFootprint(grantId);
    const total = [...after.values()].reduce((sum, bytes) => sum + bytes, 0);
    const breakdown = JSON.stringify(Object.fromEntries(after), null, 1);
    expect(total, breakdown).toBeLessThan(BUDGET_BYTES);
    // Constant, not just small: the same keys as after the login, plus the family's grace entry.
    expect(after.size, breakdown).toBeLessThanOrEqual(before.size + 1);

    // Nothing per consumed token, yet the 2nd of 1,001 tokens is still recognised as ours.
    await sleep(1_100);
    expect((await refresh(op, 'spa-grace1', issued[1] as string)).status).toBe(400);
    expect((await refresh(op, 'spa-grace1', issued.at(-1) as string)).status).toBe(400);
    expect((await grantFootprint(grantId)).size).toBeLessThan(after.size);
  });
});
