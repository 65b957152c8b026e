// Many micro frontends refreshing one login at the same moment: exactly one rotation, the same
// answer for all of them, and a family that lives on, on one instance and split across two
// instances sharing one Redis.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateSigningKey, uniquePrefix, type RunningPortcullis } from '../../helpers/portcullis.ts';
import { introspect, login, refresh, startRefreshOp, type TokenResponse } from './support.ts';

const CONCURRENT = 20;

function expectOneSuccessor(results: { status: number; body: TokenResponse }[], presented: string): TokenResponse {
  for (const result of results) expect(result.status, JSON.stringify(result.body)).toBe(200);
  const [first] = results;
  const answer = first?.body as TokenResponse;
  expect(answer.refresh_token).toBeTypeOf('string');
  expect(answer.refresh_token).not.toBe(presented);
  // Identical responses: same refresh token, same access token, same ID token, same everything.
  for (const result of results) expect(result.body).toEqual(answer);
  return answer;
}

describe('concurrent refreshes of one refresh token', () => {
  let op: RunningPortcullis;

  beforeAll(async () => {
    op = await startRefreshOp(inject('redisUrl'));
  });

  afterAll(async () => {
    await op.close();
  });

  it(`${CONCURRENT} at once through the token endpoint: one rotation, one identical answer, family alive`, async () => {
    const tokens = await login(op, 'spa');
    const presented = tokens.refresh_token as string;
    const results = await Promise.all(Array.from({ length: CONCURRENT }, () => refresh(op, 'spa', presented)));
    const answer = expectOneSuccessor(results, presented);

    // The successor is the family's only live token, and it refreshes normally.
    expect(await introspect(op, answer.refresh_token as string)).toMatchObject({ active: true, client_id: 'spa' });
    expect(await introspect(op, presented)).toEqual({ active: false });
    const next = await refresh(op, 'spa', answer.refresh_token as string);
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(answer.refresh_token);
    expect(next.body.access_token).not.toBe(answer.access_token);
    expect((await refresh(op, 'spa', next.body.refresh_token as string)).status).toBe(200);
  });

  it('a request inside the grace window that asks for something else gets the same successor with its own access token', async () => {
    const tokens = await login(op, 'spa', { scope: 'openid offline_access orders:read orders:write' });
    const presented = tokens.refresh_token as string;
    const winner = await refresh(op, 'spa', presented);
    expect(winner.status).toBe(200);
    const narrower = await refresh(op, 'spa', presented, { params: { scope: 'openid orders:read' } });
    expect(narrower.status).toBe(200);
    expect(narrower.body.refresh_token).toBe(winner.body.refresh_token);
    expect(narrower.body.access_token).not.toBe(winner.body.access_token);
    expect(narrower.body.scope).toBe('orders:read');
    // And the family still has exactly one live token.
    expect((await refresh(op, 'spa', winner.body.refresh_token as string)).status).toBe(200);
  });
});

describe('concurrent refreshes split across two instances sharing one Redis', () => {
  let a: RunningPortcullis;
  let b: RunningPortcullis;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-jwks-'));
    const jwksFile = join(dir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: [await generateSigningKey('ES256')] }));
    const shared = { keyPrefix: uniquePrefix(), jwksFile, cookieKeys: ['shared-cookie-key-0123456789-0123456789-01'] };
    a = await startRefreshOp(inject('redisUrl'), shared);
    // One issuer, as behind a load balancer.
    b = await startRefreshOp(inject('redisUrl'), { ...shared, noAccount: true, overrides: { issuer: a.issuer } });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${CONCURRENT} at once, half on each instance: one rotation, one identical answer, family alive on both`, async () => {
    const tokens = await login(a, 'spa');
    const presented = tokens.refresh_token as string;
    const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => refresh(i % 2 === 0 ? a : b, 'spa', presented)));
    const answer = expectOneSuccessor(results, presented);

    const onB = await refresh(b, 'spa', answer.refresh_token as string);
    expect(onB.status).toBe(200);
    const onA = await refresh(a, 'spa', onB.body.refresh_token as string);
    expect(onA.status).toBe(200);
  });
});
