// The admin API over real HTTP against real Redis: accounts, a user's grants and sessions, revoking
// one grant or everything, and the audit trail of it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '../../helpers/login.ts';
import { API, SPA_REDIRECT, WEB_REDIRECT } from '../../helpers/portcullis.ts';
import { authorizationRequest, jwtPayload, postForm, silentAuthorize, type CookieJar } from '../conformance/support.ts';
import { admin, automationToken, startAdminOp, type AdminOp } from './support.ts';

let op: AdminOp;
let token: string;

beforeAll(async () => {
  op = await startAdminOp();
  token = await automationToken(op);
});

afterAll(async () => {
  await op.close();
});

interface Grant {
  id: string;
  clientId: string;
  clientName: string | null;
  scope: string;
  resources: Record<string, string>;
  createdAt: string;
  expiresAt: string;
  lastRefreshedAt: string | null;
  refreshTokens: number;
}

const USER_PASSWORD = 'user password 0123';

/** Signs `username` in through `client` (own session) for the API with offline_access. */
async function login(client: 'web' | 'spa', username: string) {
  const request = await authorizationRequest(op, client, { scope: 'openid offline_access orders:read', resource: API, prompt: 'consent' });
  const { callback, jar } = await authorize(op.issuer, request.url, { username, password: USER_PASSWORD });
  const response = await postForm(op, '/token', client, {
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code') as string,
    redirect_uri: client === 'web' ? WEB_REDIRECT : SPA_REDIRECT,
    code_verifier: request.pkce.verifier,
  });
  const body = (await response.json()) as { access_token: string; refresh_token: string; id_token: string };
  if (response.status !== 200) throw new Error(JSON.stringify(body));
  return { ...body, jar, grantId: jwtPayload(body.access_token).grant_id as string };
}

/** A fresh account with one grant (and session) through `web` and another through `spa`. */
async function userWithTwoGrants(username: string) {
  const account = await op.accounts.create({ username, password: USER_PASSWORD });
  return { account, web: await login('web', username), spa: await login('spa', username) };
}

/** Stream ids compare by their millisecond part, then their sequence. */
function isOlder(id: string, than: string): boolean {
  const [ms = 0, seq = 0] = id.split('-').map(Number);
  const [thanMs = 0, thanSeq = 0] = than.split('-').map(Number);
  return ms < thanMs || (ms === thanMs && seq < thanSeq);
}

async function refresh(client: 'web' | 'spa', refreshToken: string): Promise<{ status: number; body: Record<string, string> }> {
  const response = await postForm(op, '/token', client, { grant_type: 'refresh_token', refresh_token: refreshToken });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function denylistEntries(): Promise<Record<string, string>[]> {
  const entries = (await op.redis.xrange(op.keys.denylistStream(), '-', '+')) as [string, string[]][];
  return entries.map(([id, fields]) => {
    const entry: Record<string, string> = { id };
    for (let i = 0; i < fields.length; i += 2) entry[fields[i] as string] = fields[i + 1] as string;
    return entry;
  });
}

async function promptNone(client: 'web' | 'spa', jar: CookieJar): Promise<URL> {
  return silentAuthorize(op, (await authorizationRequest(op, client, { prompt: 'none' })).url, jar);
}

describe('accounts', () => {
  it('creates an account (201, Location) and reads it back; never echoes the password', async () => {
    const created = await admin(op, 'POST', '/accounts', { token, body: { username: 'carol', password: 'carol password 1', email: 'carol@example.com', name: 'Carol' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'carol', email: 'carol@example.com', name: 'Carol', disabled: false, admin: false });
    expect(JSON.stringify(created.body)).not.toContain('carol password 1');
    expect(created.headers.get('location')).toBe(`/admin/v1/accounts/${created.body.id as string}`);
    const read = await admin(op, 'GET', `/accounts/${created.body.id as string}`, { token });
    expect(read.body).toEqual(created.body);
    const list = await admin<{ accounts: { username: string }[] }>(op, 'GET', '/accounts', { token });
    expect(list.body.accounts.map((a) => a.username)).toContain('carol');
  });

  it('refuses a taken username with 409 ERR_ADMIN_CONFLICT', async () => {
    await admin(op, 'POST', '/accounts', { token, body: { username: 'dave', password: 'dave password 1' } });
    const again = await admin(op, 'POST', '/accounts', { token, body: { username: 'dave', password: 'other password 1' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ERR_ADMIN_CONFLICT');
  });

  it('validates bodies: every problem with its path, unknown fields refused', async () => {
    const invalid = await admin(op, 'POST', '/accounts', { token, body: { username: 'bad name!', password: 'short', email: 'not-an-address', extra: 1 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('ERR_ADMIN_VALIDATION');
    const paths = (invalid.body.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.username', 'body.password', 'body.email', 'body']));
  });

  it('answers malformed JSON 400, a non-JSON body 415 and an oversized one 413', async () => {
    expect((await admin(op, 'POST', '/accounts', { token, body: '{"username": ' })).body.code).toBe('ERR_ADMIN_MALFORMED_BODY');
    const form = await admin(op, 'POST', '/accounts', { token, body: 'username=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.body.code).toBe('ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE');
    const huge = await admin(op, 'POST', '/accounts', { token, body: { username: 'x', password: 'p'.repeat(20_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('ERR_ADMIN_BODY_TOO_LARGE');
  });

  it('answers 404 for an unknown account and 400 for an id that cannot be one', async () => {
    const missing = await admin(op, 'GET', '/accounts/00000000-0000-4000-8000-000000000000', { token });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('ERR_ADMIN_NOT_FOUND');
    const bogus = await admin(op, 'GET', '/accounts/not-a-uuid', { token });
    expect(bogus.status).toBe(400);
    expect(bogus.body.details).toEqual([expect.objectContaining({ path: 'params.accountId' })]);
  });

  it('disables an account: its grants and sessions end, it cannot sign in; enabling lets it in again', async () => {
    const user = await userWithTwoGrants('erin');
    const disabled = await admin(op, 'POST', `/accounts/${user.account.id}/disable`, { token, body: { reason: 'left the company' } });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ account: { disabled: true }, revoked: { grants: expect.arrayContaining([user.web.grantId, user.spa.grantId]), sessions: 2 } });
    expect((await refresh('web', user.web.refresh_token)).body.error).toBe('invalid_grant');
    expect((await promptNone('web', user.web.jar)).searchParams.get('error')).toBe('login_required');
    expect(await op.accounts.authenticate('erin', USER_PASSWORD)).toBeUndefined();
    const subject = (await denylistEntries()).find((e) => e.kind === 'sub' && e.value === user.account.id);
    expect(subject?.before).toBe(String((disabled.body.revoked as { before: number }).before));

    const enabled = await admin(op, 'POST', `/accounts/${user.account.id}/enable`, { token });
    expect(enabled.body.disabled).toBe(false);
    expect(await op.accounts.authenticate('erin', USER_PASSWORD)).toMatchObject({ id: user.account.id });
  });
});

describe("a user's grants and sessions", () => {
  it('lists grants with client, scopes, resources, created, expiry and last refresh', async () => {
    const user = await userWithTwoGrants('frank');
    const before = await admin<{ grants: Grant[] }>(op, 'GET', `/accounts/${user.account.id}/grants`, { token });
    expect(before.status).toBe(200);
    expect(before.body.grants.map((g) => g.id).sort()).toEqual([user.web.grantId, user.spa.grantId].sort());
    const web = before.body.grants.find((g) => g.id === user.web.grantId) as Grant;
    expect(web).toMatchObject({ clientId: 'web', clientName: 'Web App', resources: { [API]: 'orders:read' }, lastRefreshedAt: null, refreshTokens: 1 });
    expect(web.scope.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access']));
    expect(Date.parse(web.expiresAt)).toBeGreaterThan(Date.parse(web.createdAt));

    expect((await refresh('web', user.web.refresh_token)).status).toBe(200);
    const after = await admin<{ grants: Grant[] }>(op, 'GET', `/accounts/${user.account.id}/grants`, { token });
    const refreshed = after.body.grants.find((g) => g.id === user.web.grantId) as Grant;
    expect(refreshed.lastRefreshedAt).not.toBeNull();
    expect(Date.parse(refreshed.lastRefreshedAt as string)).toBeGreaterThanOrEqual(Date.parse(web.createdAt));
    expect(after.body.grants.find((g) => g.id === user.spa.grantId)?.lastRefreshedAt).toBeNull();
  });

  it('lists sessions without exposing session ids', async () => {
    const user = await userWithTwoGrants('grace');
    const sessions = await admin<{ sessions: { id: string; clients: { clientId: string; grantId: string }[]; loginAt: string }[] }>(op, 'GET', `/accounts/${user.account.id}/sessions`, { token });
    expect(sessions.status).toBe(200);
    expect(sessions.body.sessions).toHaveLength(2);
    expect(sessions.body.sessions.flatMap((s) => s.clients)).toEqual(expect.arrayContaining([{ clientId: 'web', grantId: user.web.grantId }, { clientId: 'spa', grantId: user.spa.grantId }]));
    const cookies = user.web.jar.header() + user.spa.jar.header();
    for (const session of sessions.body.sessions) expect(cookies).not.toContain(session.id);
  });

  it('revokes one grant: its refresh token dies, the same user’s other grant keeps working, the denylist entry is already in Redis', async () => {
    const user = await userWithTwoGrants('heidi');
    const revoked = await admin(op, 'POST', `/grants/${user.web.grantId}/revoke`, { token, body: { reason: 'lost laptop' } });
    // Read Redis right after the call returned: the entry must already be there.
    const entries = await denylistEntries();
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ grantId: user.web.grantId, accountId: user.account.id, clientId: 'web', denylistId: expect.any(String) });
    const entry = entries.find((e) => e.id === revoked.body.denylistId);
    expect(entry).toMatchObject({ kind: 'grant', value: user.web.grantId });
    const accessExp = jwtPayload(user.web.access_token).exp as number;
    expect(Number(entry?.expires_at)).toBeGreaterThanOrEqual(accessExp);

    expect(await refresh('web', user.web.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh('spa', user.spa.refresh_token)).status).toBe(200);
    const grants = await admin<{ grants: Grant[] }>(op, 'GET', `/accounts/${user.account.id}/grants`, { token });
    expect(grants.body.grants.map((g) => g.id)).toEqual([user.spa.grantId]);

    const again = await admin(op, 'POST', `/grants/${user.web.grantId}/revoke`, { token });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('ERR_ADMIN_NOT_FOUND');
  });

  it('revokes everything of a user: grants, sessions (prompt=none → login_required) and a sub entry', async () => {
    const user = await userWithTwoGrants('ivan');
    expect((await promptNone('web', user.web.jar)).searchParams.get('code')).toBeTypeOf('string');
    const revoked = await admin(op, 'POST', `/accounts/${user.account.id}/revoke`, { token, body: { reason: 'compromised' } });
    const entries = await denylistEntries();
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ accountId: user.account.id, sessions: 2 });
    expect((revoked.body.grants as string[]).sort()).toEqual([user.web.grantId, user.spa.grantId].sort());
    const subject = entries.find((e) => e.kind === 'sub' && e.value === user.account.id);
    expect(Number(subject?.before)).toBeGreaterThan(jwtPayload(user.spa.access_token).iat as number);
    expect(entries.filter((e) => e.kind === 'grant' && (e.value === user.web.grantId || e.value === user.spa.grantId))).toHaveLength(2);

    expect((await promptNone('web', user.web.jar)).searchParams.get('error')).toBe('login_required');
    expect((await promptNone('spa', user.spa.jar)).searchParams.get('error')).toBe('login_required');
    expect((await refresh('web', user.web.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refresh('spa', user.spa.refresh_token)).body.error).toBe('invalid_grant');
    expect((await admin<{ grants: Grant[] }>(op, 'GET', `/accounts/${user.account.id}/grants`, { token })).body.grants).toEqual([]);
    expect((await admin<{ sessions: unknown[] }>(op, 'GET', `/accounts/${user.account.id}/sessions`, { token })).body.sessions).toEqual([]);
  });
});

describe('audit log', () => {
  it('records who did what to whom, from where, with the request id; pages newest first', async () => {
    const user = await userWithTwoGrants('judy');
    const requestId = `audit-test-${Date.now()}`;
    await admin(op, 'POST', `/grants/${user.web.grantId}/revoke`, { token, body: { reason: 'audit me' }, headers: { 'x-request-id': requestId } });

    const first = await admin<{ entries: Record<string, unknown>[]; nextCursor: string | null }>(op, 'GET', '/audit?limit=2', { token });
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    // The newest entry is the revocation itself (reading the log is audited after it answers).
    expect(first.body.entries[0]).toMatchObject({
      actor: { kind: 'client', id: 'ops-bot' },
      action: 'grant.revoke',
      target: { type: 'grant', id: user.web.grantId },
      status: 200,
      ip: '127.0.0.1',
      requestId,
      reason: 'audit me',
      details: { denylistId: expect.any(String), accountId: user.account.id, clientId: 'web' },
    });
    expect(Date.parse(first.body.entries[0]?.time as string)).not.toBeNaN();
    expect(first.body.nextCursor).toBe(first.body.entries[1]?.id);

    const second = await admin<{ entries: { id: string }[] }>(op, 'GET', `/audit?limit=2&cursor=${first.body.nextCursor as string}`, { token });
    expect(second.body.entries).toHaveLength(2);
    const firstIds = first.body.entries.map((e) => e.id as string);
    for (const entry of second.body.entries) {
      expect(firstIds).not.toContain(entry.id);
      expect(isOlder(entry.id, first.body.nextCursor as string)).toBe(true);
    }
  });

  it('records refusals of known callers too, and rejects a bad cursor', async () => {
    const grantId = 'no-such-grant';
    const missing = await admin(op, 'POST', `/grants/${grantId}/revoke`, { token });
    expect(missing.status).toBe(404);
    const page = await admin<{ entries: Record<string, unknown>[] }>(op, 'GET', '/audit?limit=1', { token });
    expect(page.body.entries[0]).toMatchObject({ action: 'grant.revoke', target: { type: 'grant', id: grantId }, status: 404, details: { code: 'ERR_ADMIN_NOT_FOUND' } });
    const bad = await admin(op, 'GET', '/audit?cursor=abc', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('ERR_ADMIN_VALIDATION');
  });
});
