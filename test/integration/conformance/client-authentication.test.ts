// Confidential clients authenticate with client_secret_basic or client_secret_post, exactly as
// registered; a wrong secret is 401 invalid_client (RFC 6749 §5.2).
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '../../helpers/login.ts';
import { WEB_REDIRECT, WEB_SECRET } from '../../helpers/portcullis.ts';
import { exchangeCode, obtainCode, PASSWORD, startConformanceOp, USERNAME, type ConformanceOp, type OAuthError } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

async function codeFlowWith(clientId: string, authentication: client.ClientAuth): ReturnType<typeof client.authorizationCodeGrant> {
  const config = await client.discovery(new URL(op.issuer), clientId, undefined, authentication, { execute: [client.allowInsecureRequests] });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: WEB_REDIRECT,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const { callback } = await authorize(op.issuer, url, { username: USERNAME, password: PASSWORD });
  return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
}

describe('client authentication at the token endpoint', () => {
  it('accepts client_secret_basic through openid-client', async () => {
    const tokens = await codeFlowWith('web', client.ClientSecretBasic(WEB_SECRET));
    expect(tokens.claims()?.aud).toBe('web');
  });

  it('accepts client_secret_post through openid-client', async () => {
    const tokens = await codeFlowWith('web-post', client.ClientSecretPost(WEB_SECRET));
    expect(tokens.claims()?.aud).toBe('web-post');
  });

  it.each([
    ['client_secret_basic', 'web', () => ({ authorization: `Basic ${Buffer.from(`web:${WEB_SECRET}x`).toString('base64')}` }), {}],
    ['client_secret_post', 'web-post', () => ({}), { client_id: 'web-post', client_secret: `${WEB_SECRET}x` }],
  ] as const)('answers a wrong secret with %s by 401 invalid_client', async (_method, clientId, headers, body) => {
    const result = await obtainCode(op, clientId);
    const response = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers() },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: result.code, redirect_uri: WEB_REDIRECT, code_verifier: result.pkce.verifier, ...body }).toString(),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_client');
    // The code survives a failed client authentication: the real client can still redeem it.
    expect((await exchangeCode(op, result)).status).toBe(200);
  });

  it('sends WWW-Authenticate: Basic with a 401 for failed Basic authentication', async () => {
    const response = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('web:wrong').toString('base64')}` },
      body: 'grant_type=authorization_code&code=x&redirect_uri=x&code_verifier=x',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('refuses a confidential client that sends no secret at all', async () => {
    const result = await obtainCode(op, 'web');
    const response = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: result.code, redirect_uri: WEB_REDIRECT, code_verifier: result.pkce.verifier, client_id: 'web' }).toString(),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_client');
  });

  it('answers an unknown client by 401 invalid_client', async () => {
    const response = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`nobody:${WEB_SECRET}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_client');
  });
});
