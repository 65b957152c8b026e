// The whole happy path through a strict peer library: openid-client discovers Portcullis, runs
// Authorization Code + PKCE through the real login and consent forms, refreshes, introspects and
// revokes; oauth4webapi validates the RFC 9068 access token. All against real Redis.
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ALICE, discoverWebClient, loginWithOpenidClient } from '../../helpers/openid-client.ts';
import { API, startPortcullis, type RunningPortcullis } from '../../helpers/portcullis.ts';

let op: RunningPortcullis;
let config: client.Configuration;

beforeAll(async () => {
  op = await startPortcullis({ redisUrl: inject('redisUrl') });
  await op.accounts.create(ALICE);
  config = await discoverWebClient(op);
});

afterAll(async () => {
  await op.close();
});

const login = (extra: Record<string, string> = {}) => loginWithOpenidClient(op, config, extra);

describe('openid-client against Portcullis', () => {
  it('completes code + PKCE, then userinfo, refresh, introspection and revocation', async () => {
    const tokens = await login();
    const claims = tokens.claims();
    expect(claims?.iss).toBe(op.issuer);
    expect(claims?.aud).toBe('web');
    expect(tokens.refresh_token).toBeTypeOf('string');
    expect(tokens.expires_in).toBeGreaterThan(0);

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims?.sub as string);
    expect(userinfo).toMatchObject({ sub: claims?.sub, name: 'Alice Liddell', email: 'alice@example.com', preferred_username: 'alice' });

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBeTypeOf('string');

    const active = await client.tokenIntrospection(config, refreshed.refresh_token as string);
    expect(active).toMatchObject({ active: true, client_id: 'web', sub: claims?.sub });

    await client.tokenRevocation(config, refreshed.refresh_token as string);
    const revoked = await client.tokenIntrospection(config, refreshed.refresh_token as string);
    expect(revoked.active).toBe(false);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('issues an RFC 9068 access token for a resource that oauth4webapi validates', async () => {
    const tokens = await login({ resource: API, scope: 'openid offline_access orders:read' });
    const [header] = tokens.access_token.split('.');
    expect(JSON.parse(Buffer.from(header as string, 'base64url').toString())).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });

    const as = await oauth.processDiscoveryResponse(new URL(op.issuer), await oauth.discoveryRequest(new URL(op.issuer), { [oauth.allowInsecureRequests]: true }));
    const request = new Request(`${API}/orders`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const claims = await oauth.validateJwtAccessToken(as, request, API, { [oauth.allowInsecureRequests]: true });
    expect(claims).toMatchObject({ iss: op.issuer, aud: API, client_id: 'web', scope: 'orders:read' });
    expect(claims.jti).toBeTypeOf('string');
    expect(claims.grant_id).toBeTypeOf('string');
    expect(claims.exp - claims.iat).toBe(300);
  });
});
