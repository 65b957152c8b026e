// Revocations oidc-provider performs by itself reach the denylist before the HTTP response
// leaves: RFC 7009 revocation of a refresh token, RP-initiated logout, a replayed code. Each is
// written before anything is deleted, so a failed write answers 503 and a retry completes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { follow, type CookieJar, type Page } from '../../helpers/login.ts';
import { API } from '../../helpers/portcullis.ts';
import { authorizationRequest, exchangeCode, jwtPayload, obtainCode, postForm, silentAuthorize, startConformanceOp, type ConformanceOp } from '../conformance/support.ts';
import { denylist, login, refresh } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

/** Runs RP-initiated logout through its confirmation form; returns where it ended. */
async function logout(idToken: string, jar: CookieJar): Promise<Page | { redirect: URL }> {
  const url = new URL('/session/end', op.issuer);
  url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('post_logout_redirect_uri', 'https://web.example.test/');
  const page = await follow(url, jar, op.issuer);
  const html = 'html' in page ? page.html : '';
  const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !xsrf) throw new Error(`no logout form:\n${html.slice(0, 400)}`);
  return follow(action, jar, op.issuer, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: op.issuer },
    body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
  });
}

/** Makes XADD on the denylist stream fail (WRONGTYPE) while everything else keeps working. */
async function withBrokenDenylist(run: () => Promise<void>): Promise<void> {
  const stream = op.keys.denylistStream();
  const saved = (await op.redis.xrange(stream, '-', '+')) as [string, string[]][];
  await op.redis.del(stream);
  await op.redis.set(stream, 'not a stream');
  try {
    await run();
  } finally {
    await op.redis.del(stream);
    for (const [id, fields] of saved) await op.redis.xadd(stream, id, ...fields);
  }
}

describe('RFC 7009 revocation', () => {
  it('revoking a refresh token denylists its grant before the 200 is sent, and audits it', async () => {
    const tokens = await login(op, 'web');
    const other = await login(op, 'web');
    expect((await denylist(op)).some((e) => e.value === tokens.grantId)).toBe(false);

    const response = await postForm(op, '/token/revocation', 'web', { token: tokens.refresh_token as string, token_type_hint: 'refresh_token' });
    const entries = await denylist(op);
    expect(response.status).toBe(200);
    expect(entries.filter((e) => e.kind === 'grant' && e.value === tokens.grantId)).toHaveLength(1);
    expect(entries.some((e) => e.value === other.grantId)).toBe(false);

    expect((await refresh(op, 'web', tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    expect((await refresh(op, 'web', other.refresh_token as string)).status).toBe(200);

    const { entries: audited } = await op.audit.page({ limit: 5 });
    expect(audited.find((e) => e.target?.id === tokens.grantId)).toMatchObject({
      actor: { kind: 'client', id: 'web' },
      action: 'grant.revoke',
      ip: '127.0.0.1',
      details: { source: 'rfc7009' },
    });
  });

  it('answers 503 when the denylist write fails, instead of a silent 200', async () => {
    const tokens = await login(op, 'web');
    await withBrokenDenylist(async () => {
      const response = await postForm(op, '/token/revocation', 'web', { token: tokens.refresh_token as string });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' });
    });
    // The failed revocation left the token in place, so the client's retry completes it.
    const introspected = await postForm(op, '/token/introspection', 'web', { token: tokens.refresh_token as string });
    expect(await introspected.json()).toMatchObject({ active: true });
    const retry = await postForm(op, '/token/revocation', 'web', { token: tokens.refresh_token as string });
    expect(retry.status).toBe(200);
    const entries = await denylist(op);
    expect(entries.filter((e) => e.kind === 'grant' && e.value === tokens.grantId)).toHaveLength(1);
  });
});

describe('RP-initiated logout', () => {
  it('denylists the grants logout revokes; offline_access grants outlive logout by design', async () => {
    const online = await login(op, 'web', { scope: 'openid orders:read' });
    const offline = await login(op, 'web', { scope: 'openid offline_access orders:read' });

    expect(await logout(online.id_token, online.jar)).toHaveProperty('redirect');
    expect(await logout(offline.id_token, offline.jar)).toHaveProperty('redirect');
    const entries = await denylist(op);

    expect(entries.filter((e) => e.kind === 'grant' && e.value === online.grantId)).toHaveLength(1);
    // oidc-provider keeps a grant with offline_access across logout (OpenID Connect Core §11):
    // its refresh token still works, so its access tokens are not denylisted either.
    expect(entries.some((e) => e.value === offline.grantId)).toBe(false);
    expect((await refresh(op, 'web', offline.refresh_token as string)).status).toBe(200);

    const { entries: audited } = await op.audit.page({ limit: 10 });
    expect(audited.find((e) => e.target?.id === online.grantId)).toMatchObject({ actor: { kind: 'account', id: op.sub, clientId: 'web' }, details: { source: 'end_session' } });
  });

  it('answers 503 when the denylist write fails, and keeps the session so that a retry signs out', async () => {
    const tokens = await login(op, 'web', { scope: 'openid orders:read' });
    await withBrokenDenylist(async () => {
      const failed = await logout(tokens.id_token, tokens.jar);
      expect(failed).toMatchObject({ status: 503 });
      expect('html' in failed ? failed.html : '').toContain('temporarily_unavailable');
    });
    // Nothing was revoked: the grant is still stored, and the session still signs in silently.
    const grantKey = op.keys.record('Grant', tokens.grantId);
    expect(await op.redis.exists(grantKey)).toBe(1);
    expect((await denylist(op)).some((e) => e.value === tokens.grantId)).toBe(false);
    const silent = await authorizationRequest(op, 'web', { prompt: 'none', resource: API });
    expect((await silentAuthorize(op, silent.url, tokens.jar)).searchParams.has('code')).toBe(true);

    expect(await logout(tokens.id_token, tokens.jar)).toHaveProperty('redirect');
    expect((await denylist(op)).filter((e) => e.kind === 'grant' && e.value === tokens.grantId)).toHaveLength(1);
    expect(await op.redis.exists(grantKey)).toBe(0);
  });
});

describe('authorization-code replay', () => {
  it('denylists the grant; a failed write answers 503 and the next replay completes the revocation', async () => {
    const result = await obtainCode(op, 'web', { scope: 'openid orders:read', resource: API, prompt: 'consent' });
    const first = await exchangeCode(op, result);
    expect(first.status).toBe(200);
    const grantId = jwtPayload(((await first.json()) as { access_token: string }).access_token).grant_id as string;
    const grantKey = op.keys.record('Grant', grantId);

    await withBrokenDenylist(async () => {
      const replay = await exchangeCode(op, result);
      expect(replay.status).toBe(503);
      expect(await replay.json()).toMatchObject({ error: 'temporarily_unavailable' });
    });
    expect(await op.redis.exists(grantKey)).toBe(1);

    const again = await exchangeCode(op, result);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await denylist(op)).filter((e) => e.kind === 'grant' && e.value === grantId)).toHaveLength(1);
    expect(await op.redis.exists(grantKey)).toBe(0);
  });
});
