// Reuse detection: a rotated token presented after the grace window is theft and kills the whole
// family; benign cases (inside the window, a sibling that rotated twice, a forged value, another
// client's token) are refused or answered without logging anyone out.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningPortcullis } from '../../helpers/portcullis.ts';
import { introspect, jwtClaims, KEEPING_CLIENT, login, refresh, sleep, startLoggedOp, startRefreshOp } from './support.ts';

let op: RunningPortcullis;

beforeAll(async () => {
  op = await startRefreshOp(inject('redisUrl'));
});

afterAll(async () => {
  await op.close();
});

async function denylistedGrants(target: RunningPortcullis): Promise<string[]> {
  const entries = await target.redis.xrange(target.keys.denylistStream(), '-', '+');
  return entries.flatMap(([, fields]) => {
    const record = Object.fromEntries(fields.flatMap((value, i) => (i % 2 === 0 ? [[value, fields[i + 1]]] : [])));
    return record.kind === 'grant' ? [record.value as string] : [];
  });
}

describe('refresh-token reuse', () => {
  it('after the grace window revokes the family: successor dead, introspection inactive, grant denylisted', async () => {
    const tokens = await login(op, 'spa-grace1');
    const grantId = jwtClaims(tokens.access_token).grant_id as string;
    const rotated = await refresh(op, 'spa-grace1', tokens.refresh_token as string);
    expect(rotated.status).toBe(200);
    const successor = rotated.body.refresh_token as string;
    expect(await introspect(op, successor)).toMatchObject({ active: true });

    await sleep(1_500);
    const reused = await refresh(op, 'spa-grace1', tokens.refresh_token as string);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');

    expect(await introspect(op, successor)).toEqual({ active: false });
    const withSuccessor = await refresh(op, 'spa-grace1', successor);
    expect(withSuccessor.status).toBe(400);
    expect(withSuccessor.body.error).toBe('invalid_grant');
    expect(await denylistedGrants(op)).toContain(grantId);
  });

  it('inside the grace window answers a late request with the very same response', async () => {
    const tokens = await login(op, 'spa');
    const first = await refresh(op, 'spa', tokens.refresh_token as string);
    const late = await refresh(op, 'spa', tokens.refresh_token as string);
    expect(first.status).toBe(200);
    expect(late.body).toEqual(first.body);
    expect((await refresh(op, 'spa', first.body.refresh_token as string)).status).toBe(200);
  });

  it('of a token superseded twice inside the window is refused without revoking the family', async () => {
    const tokens = await login(op, 'spa');
    const first = await refresh(op, 'spa', tokens.refresh_token as string);
    const second = await refresh(op, 'spa', first.body.refresh_token as string);
    expect(second.status).toBe(200);
    const stale = await refresh(op, 'spa', tokens.refresh_token as string);
    expect(stale.status).toBe(400);
    expect(stale.body.error).toBe('invalid_grant');
    expect((await refresh(op, 'spa', second.body.refresh_token as string)).status).toBe(200);
  });

  it('of a forged value naming a real grant and family is refused without revoking anything', async () => {
    const tokens = await login(op, 'spa-grace1');
    const [grantId, familyId] = (tokens.refresh_token as string).split('.');
    const first = await refresh(op, 'spa-grace1', tokens.refresh_token as string);
    const second = await refresh(op, 'spa-grace1', first.body.refresh_token as string);
    await sleep(1_100);
    // Generation 0 of this family, rotated long enough ago to count as theft, but with a secret
    // we did not mint: knowing a grant id (it is in every access token) must not log anyone out.
    const forged = await refresh(op, 'spa-grace1', `${grantId}.${familyId}.0.${Buffer.alloc(32, 7).toString('base64url')}`);
    expect(forged.status).toBe(400);
    expect(forged.body.error).toBe('invalid_grant');
    expect((await refresh(op, 'spa-grace1', second.body.refresh_token as string)).status).toBe(200);
  });

  it('of an older generation than the previous one is detected too (nothing kept per consumed token)', async () => {
    const tokens = await login(op, 'spa-grace1');
    const first = await refresh(op, 'spa-grace1', tokens.refresh_token as string);
    const second = await refresh(op, 'spa-grace1', first.body.refresh_token as string);
    await sleep(1_100);
    const reused = await refresh(op, 'spa-grace1', tokens.refresh_token as string);
    expect(reused.status).toBe(400);
    expect((await refresh(op, 'spa-grace1', second.body.refresh_token as string)).status).toBe(400);
  });

  it.each([
    ['spa', 'web'],
    ['web', 'spa'],
  ] as const)('a token of %s presented by %s gets invalid_grant and the owner is unaffected', async (owner, other) => {
    const tokens = await login(op, owner);
    const stolen = await refresh(op, other, tokens.refresh_token as string);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
    expect((await refresh(op, owner, tokens.refresh_token as string)).status).toBe(200);
  });

  it('does not apply to a confidential client configured not to rotate: its token stays the same', async () => {
    const tokens = await login(op, KEEPING_CLIENT);
    const first = await refresh(op, KEEPING_CLIENT, tokens.refresh_token as string);
    const second = await refresh(op, KEEPING_CLIENT, tokens.refresh_token as string);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.body.refresh_token).toBe(tokens.refresh_token);
    expect(second.body.access_token).not.toBe(first.body.access_token);
  });
});

describe('a detected reuse', () => {
  let logged: Awaited<ReturnType<typeof startLoggedOp>>;

  beforeAll(async () => {
    logged = await startLoggedOp(inject('redisUrl'));
  });

  afterAll(async () => {
    await logged.close();
  });

  it('is logged with client, subject and grant, and without any token value', async () => {
    const tokens = await login(logged, 'spa-grace1');
    const claims = jwtClaims(tokens.access_token);
    const rotated = await refresh(logged, 'spa-grace1', tokens.refresh_token as string);
    await sleep(1_500);
    expect((await refresh(logged, 'spa-grace1', tokens.refresh_token as string)).status).toBe(400);

    const events = logged.logLines.filter((line) => line.event === 'refresh_token_reuse');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ clientId: 'spa-grace1', accountId: claims.sub, grantId: claims.grant_id, level: 40 });
    const everything = JSON.stringify(logged.logLines);
    for (const secret of [tokens.refresh_token, rotated.body.refresh_token, tokens.access_token, rotated.body.access_token]) {
      expect(everything).not.toContain(secret as string);
      // Not even the secret part of a refresh token (the part after the last dot).
      expect(everything).not.toContain((secret as string).split('.').at(-1));
    }
  });
});
