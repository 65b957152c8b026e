// Lifetimes per client: the family's absolute lifetime never moves, the idle timeout slides with
// each refresh (also for a confidential client that keeps its token). Short policies (3 s) from
// support.ts make both observable; the waits only pass an expiry, nothing asserts on timing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningPortcullis } from '../../helpers/portcullis.ts';
import { introspect, KEEPING_CLIENT, login, refresh, sleep, startRefreshOp } from './support.ts';

let op: RunningPortcullis;

beforeAll(async () => {
  op = await startRefreshOp(inject('redisUrl'));
});

afterAll(async () => {
  await op.close();
});

async function expOf(token: string): Promise<number> {
  const introspection = await introspect(op, token);
  expect(introspection.active).toBe(true);
  return introspection.exp as number;
}

describe('refresh-token lifetimes', () => {
  it('absolute: refreshing never extends the family, and it ends on time', async () => {
    const tokens = await login(op, 'spa-absolute');
    const firstExp = await expOf(tokens.refresh_token as string);
    await sleep(1_100);
    const rotated = await refresh(op, 'spa-absolute', tokens.refresh_token as string);
    expect(rotated.status).toBe(200);
    expect(await expOf(rotated.body.refresh_token as string)).toBe(firstExp);

    await sleep(Math.max(0, firstExp * 1000 - Date.now()) + 1_100);
    const late = await refresh(op, 'spa-absolute', rotated.body.refresh_token as string);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
  });

  it('idle: each refresh slides the timeout, a pause longer than it ends the family', async () => {
    const tokens = await login(op, 'spa-idle');
    let current = tokens.refresh_token as string;
    const firstExp = await expOf(current);
    // Four refreshes a second apart: past the 3 s idle timeout of the first token, still alive.
    for (let i = 0; i < 4; i += 1) {
      await sleep(1_000);
      const next = await refresh(op, 'spa-idle', current);
      expect(next.status).toBe(200);
      current = next.body.refresh_token as string;
    }
    expect(await expOf(current)).toBeGreaterThan(firstExp);

    await sleep(4_200);
    const late = await refresh(op, 'spa-idle', current);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
  });

  it('idle, without rotation: the kept token slides too, and expires after a pause', async () => {
    const tokens = await login(op, KEEPING_CLIENT);
    const token = tokens.refresh_token as string;
    const firstExp = await expOf(token);
    for (let i = 0; i < 3; i += 1) {
      await sleep(1_200);
      const next = await refresh(op, KEEPING_CLIENT, token);
      expect(next.status).toBe(200);
      expect(next.body.refresh_token).toBe(token);
    }
    expect(await expOf(token)).toBeGreaterThan(firstExp);

    await sleep(4_200);
    expect((await refresh(op, KEEPING_CLIENT, token)).status).toBe(400);
  });
});
