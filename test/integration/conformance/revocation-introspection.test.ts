// Revocation (RFC 7009) and introspection (RFC 7662).
import { setTimeout as sleep } from 'node:timers/promises';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_SECRET } from '../../helpers/portcullis.ts';
import { introspect, obtainTokens, postForm, startConformanceOp, type ConformanceOp, type OAuthError, type TokenResponse } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

const OFFLINE = { scope: 'openid offline_access', prompt: 'consent' };

describe('revocation', () => {
  it.each([
    ['an unknown token', {}],
    ['an unknown token with token_type_hint=refresh_token', { token_type_hint: 'refresh_token' }],
    ['an unknown token with token_type_hint=access_token', { token_type_hint: 'access_token' }],
    ['an unknown token with an unknown token_type_hint', { token_type_hint: 'something_else' }],
  ])('answers 200 for %s', async (_case, extra) => {
    const response = await postForm(op, '/token/revocation', 'web', { token: 'unknown-token-unknown-token-unknown-token', ...extra });
    expect(response.status).toBe(200);
    // The body is ignored by RFC 7009 clients; an empty JSON object keeps browser clients
    // (oidc-client-ts) that insist on JSON happy.
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({});
  });

  it('revoking a refresh token revokes its grant: the access token dies with it', async () => {
    const tokens = await obtainTokens(op, 'web', OFFLINE);
    expect(await introspect(op, tokens.access_token)).toMatchObject({ active: true });
    const response = await postForm(op, '/token/revocation', 'web', { token: tokens.refresh_token as string, token_type_hint: 'refresh_token' });
    expect(response.status).toBe(200);
    expect(await introspect(op, tokens.refresh_token as string)).toEqual({ active: false });
    expect(await introspect(op, tokens.access_token)).toEqual({ active: false });
    const refresh = await postForm(op, '/token', 'web', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string });
    expect(((await refresh.json()) as OAuthError).error).toBe('invalid_grant');
  });

  it('revokes an opaque access token', async () => {
    const tokens = await obtainTokens(op, 'web');
    expect((await postForm(op, '/token/revocation', 'web', { token: tokens.access_token })).status).toBe(200);
    expect(await introspect(op, tokens.access_token)).toEqual({ active: false });
    expect((await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
  });

  it('lets a public client revoke its own refresh token', async () => {
    const tokens = await obtainTokens(op, 'spa', OFFLINE);
    expect((await postForm(op, '/token/revocation', 'spa', { token: tokens.refresh_token as string })).status).toBe(200);
    const refresh = await postForm(op, '/token', 'spa', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string });
    expect(((await refresh.json()) as OAuthError).error).toBe('invalid_grant');
  });

  it('ignores (200) another client’s token and leaves it working', async () => {
    const tokens = await obtainTokens(op, 'web', OFFLINE);
    const response = await postForm(op, '/token/revocation', 'web-post', { token: tokens.refresh_token as string });
    expect(response.status).toBe(200);
    expect(await introspect(op, tokens.refresh_token as string)).toMatchObject({ active: true });
  });

  it('requires client authentication of confidential clients (401 invalid_client)', async () => {
    const tokens = await obtainTokens(op, 'web', OFFLINE);
    const response = await postForm(op, '/token/revocation', undefined, { token: tokens.refresh_token as string, client_id: 'web', client_secret: 'wrong' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_client');
    expect(await introspect(op, tokens.refresh_token as string)).toMatchObject({ active: true });
  });

  it('answers a missing token parameter with 400 invalid_request', async () => {
    const response = await postForm(op, '/token/revocation', 'web', {});
    expect(response.status).toBe(400);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_request');
  });
});

describe('introspection', () => {
  it('describes an active token to an authenticated confidential client', async () => {
    const tokens = await obtainTokens(op, 'web', OFFLINE);
    const response = await postForm(op, '/token/introspection', 'web', { token: tokens.refresh_token as string });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ active: true, client_id: 'web', sub: op.sub, iss: op.issuer, scope: 'openid offline_access' });
  });

  it('works through openid-client', async () => {
    const tokens = await obtainTokens(op, 'web', OFFLINE);
    const config = await client.discovery(new URL(op.issuer), 'web', undefined, client.ClientSecretBasic(WEB_SECRET), { execute: [client.allowInsecureRequests] });
    expect(await client.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true, client_id: 'web', sub: op.sub });
    await client.tokenRevocation(config, tokens.access_token);
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  });

  it('refuses a public client', async () => {
    const tokens = await obtainTokens(op, 'spa', OFFLINE);
    const response = await postForm(op, '/token/introspection', 'spa', { token: tokens.refresh_token as string });
    expect(response.status).toBe(401);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe('invalid_client');
    expect(body).not.toHaveProperty('active');
  });

  it('refuses a public client whatever the token, so it learns nothing', async () => {
    const response = await postForm(op, '/token/introspection', 'spa', { token: 'unknown-token-unknown-token-unknown-token' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_client');
  });

  it('refuses a caller without client authentication (400) or with a wrong secret (401)', async () => {
    const tokens = await obtainTokens(op, 'web');
    const none = await postForm(op, '/token/introspection', undefined, { token: tokens.access_token });
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({ error: 'invalid_request', error_description: 'no client authentication mechanism provided' });
    const wrong = await postForm(op, '/token/introspection', 'web-post', { token: tokens.access_token, client_secret: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as OAuthError).error).toBe('invalid_client');
  });

  it('answers active:false for unknown and revoked tokens', async () => {
    expect(await introspect(op, 'unknown-token-unknown-token-unknown-token')).toEqual({ active: false });
    const tokens = await obtainTokens(op, 'web', OFFLINE);
    await postForm(op, '/token/revocation', 'web', { token: tokens.refresh_token as string });
    expect(await introspect(op, tokens.refresh_token as string)).toEqual({ active: false });
  });

  it('answers active:false for an expired token', async () => {
    const shortLived = await startConformanceOp({ overrides: { ttl: { clientCredentialsSeconds: 1 } } });
    try {
      // Opaque client-credentials token (no resource), so introspection can see it.
      const issued = await postForm(shortLived, '/token', 'service', { grant_type: 'client_credentials' });
      expect(issued.status).toBe(200);
      const { access_token: token, expires_in: expiresIn } = (await issued.json()) as TokenResponse;
      expect(expiresIn).toBe(1);
      expect(await introspect(shortLived, token, 'service')).toMatchObject({ active: true, client_id: 'service' });
      await sleep(1_100);
      expect(await introspect(shortLived, token, 'service')).toEqual({ active: false });
    } finally {
      await shortLived.close();
    }
  });
});
