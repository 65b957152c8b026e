// UserInfo (OpenID Connect Core §5.3): GET and POST with a Bearer token, `sub` equal to the ID
// token's, and the granted scopes decide which claims come back.
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '../../helpers/login.ts';
import { WEB_REDIRECT, WEB_SECRET } from '../../helpers/portcullis.ts';
import { jwtPayload, obtainTokens, PASSWORD, startConformanceOp, USERNAME, type ConformanceOp } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

async function userinfo(accessToken: string, method: 'GET' | 'POST-header' | 'POST-body'): Promise<Response> {
  const url = `${op.issuer}/me`;
  if (method === 'GET') return fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
  if (method === 'POST-header') return fetch(url, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ access_token: accessToken }).toString() });
}

describe('userinfo', () => {
  it.each(['GET', 'POST-header', 'POST-body'] as const)('answers %s with JSON whose sub is the ID token’s', async (method) => {
    const tokens = await obtainTokens(op, 'web', { scope: 'openid profile email' });
    const response = await userinfo(tokens.access_token, method);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const claims = (await response.json()) as Record<string, unknown>;
    expect(claims.sub).toBe(jwtPayload(tokens.id_token as string).sub);
    expect(claims).toEqual({ sub: op.sub, name: 'Alice Liddell', preferred_username: USERNAME, email: 'alice@example.com', email_verified: false });
  });

  it.each([
    ['openid', {}],
    ['openid profile', { name: 'Alice Liddell', preferred_username: USERNAME }],
    ['openid email', { email: 'alice@example.com', email_verified: false }],
  ])('releases only the claims of scope "%s"', async (scope, expected) => {
    const tokens = await obtainTokens(op, 'web', { scope });
    const claims = (await (await userinfo(tokens.access_token, 'GET')).json()) as Record<string, unknown>;
    expect(claims).toEqual({ sub: op.sub, ...expected });
  });

  it('works through openid-client, which checks sub against the ID token', async () => {
    const config = await client.discovery(new URL(op.issuer), 'web', undefined, client.ClientSecretBasic(WEB_SECRET), { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: WEB_REDIRECT, scope: 'openid email', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const { callback } = await authorize(op.issuer, url, { username: USERNAME, password: PASSWORD });
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const claims = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub as string);
    expect(claims).toEqual({ sub: op.sub, email: 'alice@example.com', email_verified: false });
    await expect(client.fetchUserInfo(config, tokens.access_token, 'someone-else')).rejects.toThrow();
  });

  it('answers a bad token with 401 and WWW-Authenticate: Bearer error="invalid_token"', async () => {
    const response = await userinfo('not-a-token-not-a-token-not-a-token-00000', 'GET');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_token');
  });

  it('answers a request without a token with 401 and a Bearer challenge (RFC 6750 §3.1)', async () => {
    const response = await fetch(`${op.issuer}/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(((await response.json()) as { error: string }).error).toBeTypeOf('string');
  });
});
