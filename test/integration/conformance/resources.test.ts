// Resource indicators (RFC 8707) select the audience of RFC 9068 JWT access tokens, for users
// (authorization code) and for services (client_credentials).
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, SERVICE_SECRET } from '../../helpers/portcullis.ts';
import {
  authorizationRequest,
  jwtHeader,
  jwtPayload,
  obtainTokens,
  postForm,
  startConformanceOp,
  type ConformanceOp,
  type OAuthError,
  type TokenResponse,
} from './support.ts';

let op: ConformanceOp;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  op = await startConformanceOp();
  as = await oauth.processDiscoveryResponse(new URL(op.issuer), await oauth.discoveryRequest(new URL(op.issuer), { [oauth.allowInsecureRequests]: true }));
});

afterAll(async () => {
  await op.close();
});

function validate(accessToken: string, audience: string) {
  const request = new Request(`${audience}/anything`, { headers: { authorization: `Bearer ${accessToken}` } });
  return oauth.validateJwtAccessToken(as, request, audience, { [oauth.allowInsecureRequests]: true });
}

describe('resource indicators', () => {
  it('make the access token an RFC 9068 JWT whose aud is the resource', async () => {
    const tokens = await obtainTokens(op, 'web', { resource: API, scope: 'openid orders:read orders:write' });
    expect(jwtHeader(tokens.access_token)).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    const claims = await validate(tokens.access_token, API);
    expect(claims).toMatchObject({ iss: op.issuer, aud: API, sub: op.sub, client_id: 'web' });
    expect(claims.scope?.split(' ').sort()).toEqual(['orders:read', 'orders:write']);
    for (const claim of ['iat', 'exp', 'jti']) expect(claims[claim], claim).toBeDefined();
    await expect(validate(tokens.access_token, 'https://other.example.test')).rejects.toThrow();
  });

  it('without a resource issue an opaque token for userinfo only', async () => {
    const tokens = await obtainTokens(op, 'web', { scope: 'openid' });
    expect(tokens.access_token.split('.')).toHaveLength(1);
  });

  it('answer an unknown resource at the authorization endpoint with invalid_target at the redirect_uri', async () => {
    const request = await authorizationRequest(op, 'web', { resource: 'https://unknown.example.test' });
    const response = await fetch(request.url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_target');
    expect(location.searchParams.get('state')).toBe(request.state);
  });

  it('answer a resource that is not an absolute URI with invalid_target', async () => {
    const request = await authorizationRequest(op, 'web', { resource: 'orders' });
    const response = await fetch(request.url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_target');
  });

  it('answer an unknown resource on refresh with 400 invalid_target', async () => {
    const tokens = await obtainTokens(op, 'web', { resource: API, scope: 'openid offline_access orders:read', prompt: 'consent' });
    const response = await postForm(op, '/token', 'web', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string, resource: 'https://unknown.example.test' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_target');
  });
});

describe('client_credentials', () => {
  it('gives the service client a JWT access token for the resource (RFC 9068)', async () => {
    const response = await postForm(op, '/token', 'service', { grant_type: 'client_credentials', resource: API, scope: 'orders:read' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as TokenResponse;
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThan(0);
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('id_token');
    expect(jwtHeader(body.access_token)).toMatchObject({ typ: 'at+jwt' });

    const { payload } = await jwtVerify(body.access_token, createRemoteJWKSet(new URL(as.jwks_uri as string)), { issuer: op.issuer, audience: API, typ: 'at+jwt', algorithms: ['ES256'] });
    expect(payload).toMatchObject({ aud: API, client_id: 'service', scope: 'orders:read' });
    // RFC 9068 §2.2: with no resource owner, sub is the client's own identifier.
    expect(payload.sub).toBe('service');
    expect(payload.jti).toBeTypeOf('string');
    const claims = await validate(body.access_token, API);
    expect(claims.client_id).toBe('service');
  });

  it('works through oauth4webapi', async () => {
    const client: oauth.Client = { client_id: 'service' };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(SERVICE_SECRET), new URLSearchParams({ resource: API, scope: 'orders:write' }), {
      [oauth.allowInsecureRequests]: true,
    });
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    expect(jwtPayload(tokens.access_token)).toMatchObject({ aud: API, scope: 'orders:write' });
  });

  it('answers an unknown resource with 400 invalid_target', async () => {
    const response = await postForm(op, '/token', 'service', { grant_type: 'client_credentials', resource: 'https://unknown.example.test' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_target');
  });

  it('drops scopes the resource does not define', async () => {
    const response = await postForm(op, '/token', 'service', { grant_type: 'client_credentials', resource: API, scope: 'orders:read admin' });
    expect(response.status).toBe(200);
    expect(jwtPayload(((await response.json()) as TokenResponse).access_token).scope).toBe('orders:read');
  });

  it('is refused to a client not registered for it', async () => {
    const response = await postForm(op, '/token', 'web', { grant_type: 'client_credentials', resource: API });
    expect(response.status).toBe(400);
    // RFC 6749 §5.2 names this unauthorized_client; oidc-provider answers invalid_request with
    // this description, and we keep the library's wire format rather than rewrite its errors.
    expect(await response.json()).toEqual({ error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' });
  });
});
