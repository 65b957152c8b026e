// Refresh tokens (RFC 6749 §6, RFC 9700 §4.14): issued only for offline_access, bound to the
// client they were issued to, and a refresh can only narrow the scope. Rotation and reuse
// detection have their own suite.
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_SECRET } from '../../helpers/portcullis.ts';
import { introspect, jwtPayload, obtainTokens, postForm, startConformanceOp, type ConformanceOp, type OAuthError, type TokenResponse } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

const OFFLINE = { scope: 'openid profile offline_access', prompt: 'consent' };

async function refresh(clientId: 'spa' | 'web' | 'web-post', refreshToken: string, extra: Record<string, string> = {}): Promise<Response> {
  return postForm(op, '/token', clientId, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });
}

describe('refresh tokens', () => {
  it('are not issued without offline_access', async () => {
    const tokens = await obtainTokens(op, 'web', { scope: 'openid profile' });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it.each(['web', 'spa'] as const)('are issued to %s with offline_access and consent, and refresh works', async (clientId) => {
    const tokens = await obtainTokens(op, clientId, OFFLINE);
    expect(tokens.refresh_token).toBeTypeOf('string');
    const response = await refresh(clientId, tokens.refresh_token as string);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const refreshed = (await response.json()) as TokenResponse;
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(jwtPayload(refreshed.id_token as string).sub).toBe(op.sub);
    expect(refreshed.scope?.split(' ').sort()).toEqual(['offline_access', 'openid', 'profile']);
  });

  it.each([
    ['web', 'web-post'],
    ['web', 'spa'],
    ['spa', 'web'],
  ] as const)('issued to %s are refused to %s with 400 invalid_grant', async (owner, thief) => {
    const tokens = await obtainTokens(op, owner, OFFLINE);
    const stolen = await refresh(thief, tokens.refresh_token as string);
    expect(stolen.status).toBe(400);
    expect(((await stolen.json()) as OAuthError).error).toBe('invalid_grant');
    // The owner is unaffected.
    expect((await refresh(owner, tokens.refresh_token as string)).status).toBe(200);
  });

  it('can narrow the scope, and the narrowed access token carries only that scope', async () => {
    const tokens = await obtainTokens(op, 'web', OFFLINE);
    const response = await refresh('web', tokens.refresh_token as string, { scope: 'openid' });
    expect(response.status).toBe(200);
    const narrowed = (await response.json()) as TokenResponse;
    expect(narrowed.scope).toBe('openid');
    expect(await introspect(op, narrowed.access_token)).toMatchObject({ active: true, scope: 'openid' });
    const claims = (await (await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${narrowed.access_token}` } })).json()) as Record<string, unknown>;
    expect(claims).toEqual({ sub: op.sub });
  });

  it('cannot widen the scope (400 invalid_scope)', async () => {
    const tokens = await obtainTokens(op, 'web', OFFLINE);
    const response = await refresh('web', tokens.refresh_token as string, { scope: 'openid profile email' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_scope');
  });

  it('refuses an unknown refresh token with invalid_grant', async () => {
    const response = await refresh('web', 'x'.repeat(43));
    expect(response.status).toBe(400);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_grant');
  });

  it('work through openid-client, which reports invalid_scope for a widening', async () => {
    const tokens = await obtainTokens(op, 'web', OFFLINE);
    const config = await client.discovery(new URL(op.issuer), 'web', undefined, client.ClientSecretBasic(WEB_SECRET), { execute: [client.allowInsecureRequests] });
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.claims()?.sub).toBe(op.sub);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token as string, { scope: 'openid email' })).rejects.toMatchObject({ error: 'invalid_scope' });
  });
});
