// Who may call /admin/v1: only this provider's own JWT access tokens for the admin resource with
// scope admin, from admin clients (and, for people, enabled admin accounts), not revoked. Every
// refusal is JSON with a stable code; 401s carry an RFC 6750 challenge.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, SERVICE_SECRET } from '../../helpers/portcullis.ts';
import { jwtPayload, PASSWORD, USERNAME } from '../conformance/support.ts';
import { ADMIN_RESOURCE, admin, AUTOMATION, automationToken, clientCredentials, consoleToken, ROOT, signWithProviderKey, startAdminOp, type AdminOp } from './support.ts';

let op: AdminOp;

beforeAll(async () => {
  op = await startAdminOp();
});

afterAll(async () => {
  await op.close();
});

function expectChallenge(header: string | null, error?: string): void {
  expect(header).toMatch(/^Bearer realm="portcullis-admin"/);
  if (error) expect(header).toContain(`error="${error}"`);
  else expect(header).not.toContain('error=');
}

describe('admin API authentication', () => {
  it('refuses a request without a token: 401, a bare Bearer challenge, ERR_ADMIN_UNAUTHENTICATED', async () => {
    const response = await admin(op, 'GET', '/accounts');
    expect(response.status).toBe(401);
    expectChallenge(response.headers.get('www-authenticate'));
    expect(response.body).toMatchObject({ code: 'ERR_ADMIN_UNAUTHENTICATED', requestId: expect.any(String) });
    expect(response.headers.get('x-request-id')).toBe(response.body.requestId);
  });

  it('refuses another scheme than Bearer', async () => {
    const response = await admin(op, 'GET', '/accounts', { headers: { authorization: `Basic ${Buffer.from(`${AUTOMATION.id}:${AUTOMATION.secret}`).toString('base64')}` } });
    expect(response.status).toBe(401);
    expectChallenge(response.headers.get('www-authenticate'), 'invalid_token');
  });

  it('accepts a client_credentials token of an admin client with scope admin', async () => {
    const token = await automationToken(op);
    expect(jwtPayload(token)).toMatchObject({ aud: ADMIN_RESOURCE, scope: 'admin', client_id: AUTOMATION.id, sub: AUTOMATION.id });
    const response = await admin(op, 'GET', '/accounts', { token });
    expect(response.status).toBe(200);
    expect(response.body.accounts).toEqual(expect.arrayContaining([expect.objectContaining({ username: USERNAME })]));
  });

  it('refuses a token without the admin scope: 403 insufficient_scope', async () => {
    const response = await clientCredentials(op, AUTOMATION, { resource: ADMIN_RESOURCE });
    const { access_token: token } = (await response.json()) as { access_token: string };
    expect(jwtPayload(token).scope).toBeUndefined();
    const refused = await admin(op, 'GET', '/accounts', { token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ERR_ADMIN_FORBIDDEN');
    expect(refused.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(refused.headers.get('www-authenticate')).toContain('scope="admin"');
  });

  it('refuses a token for another audience: 401 invalid_token', async () => {
    const response = await clientCredentials(op, AUTOMATION, { resource: API, scope: 'orders:read' });
    const { access_token: token } = (await response.json()) as { access_token: string };
    expect(jwtPayload(token).aud).toBe(API);
    const refused = await admin(op, 'GET', '/accounts', { token });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('ERR_ADMIN_UNAUTHENTICATED');
    expectChallenge(refused.headers.get('www-authenticate'), 'invalid_token');
    expect(refused.headers.get('www-authenticate')).toContain('aud invalid');
  });

  it('refuses an expired token (signed with the provider key, exp in the past)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signWithProviderKey(op, { iat: now - 600, exp: now - 300 });
    const refused = await admin(op, 'GET', '/accounts', { token });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('ERR_ADMIN_UNAUTHENTICATED');
    expect(refused.headers.get('www-authenticate')).toContain('error_description="expired"');
    // The same claims with a live exp are accepted, so it was the expiry that failed.
    expect((await admin(op, 'GET', '/accounts', { token: await signWithProviderKey(op, {}) })).status).toBe(200);
  });

  it('refuses a token signed by another key, and one without typ at+jwt', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const now = Math.floor(Date.now() / 1000);
    const foreign = await new SignJWT({ iss: op.issuer, aud: ADMIN_RESOURCE, sub: AUTOMATION.id, client_id: AUTOMATION.id, scope: 'admin', jti: 'x', iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: op.signingKey.kid as string, jwk: { kty: jwk.kty as string, crv: jwk.crv as string, x: jwk.x as string, y: jwk.y as string } })
      .sign(privateKey);
    expect((await admin(op, 'GET', '/accounts', { token: foreign })).status).toBe(401);
    const idTokenTyped = await signWithProviderKey(op, {}, { typ: 'JWT' });
    const refused = await admin(op, 'GET', '/accounts', { token: idTokenTyped });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('typ invalid');
  });

  it('does not issue admin-resource tokens to clients that are not admin clients', async () => {
    const response = await clientCredentials(op, { id: 'service', secret: SERVICE_SECRET }, { resource: ADMIN_RESOURCE, scope: 'admin' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_target');
  });

  it('refuses an admin-scoped token of a client that is not an admin client (defence in depth)', async () => {
    const token = await signWithProviderKey(op, { sub: 'service', client_id: 'service' });
    const refused = await admin(op, 'GET', '/accounts', { token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ERR_ADMIN_FORBIDDEN');
  });

  it('accepts a person who is an admin account, signed in through the admin console', async () => {
    const token = await consoleToken(op, ROOT.username, ROOT.password);
    expect(jwtPayload(token)).toMatchObject({ aud: ADMIN_RESOURCE, sub: op.rootId, client_id: 'admin-console', grant_id: expect.any(String) });
    expect((await admin(op, 'GET', '/accounts', { token })).status).toBe(200);
  });

  it('refuses a person whose account is not an admin, even with an admin-scoped token', async () => {
    const token = await consoleToken(op, USERNAME, PASSWORD);
    expect(jwtPayload(token).scope).toContain('admin');
    const refused = await admin(op, 'GET', '/accounts', { token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ERR_ADMIN_FORBIDDEN');
  });

  it('refuses an admin token once it is revoked: the admin token itself is on the denylist', async () => {
    const token = await automationToken(op);
    const { jti, exp } = jwtPayload(token) as { jti: string; exp: number };
    const revoked = await admin(op, 'POST', '/tokens/revoke', { token, body: { jti, expiresAt: exp, reason: 'rotate after use' } });
    expect(revoked.status).toBe(200);
    const refused = await admin(op, 'GET', '/accounts', { token });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error_description="revoked"');
    // Another token of the same client is unaffected.
    expect((await admin(op, 'GET', '/accounts', { token: await automationToken(op) })).status).toBe(200);
  });

  it('serves the OpenAPI document without a token', async () => {
    const response = await admin(op, 'GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ openapi: '3.1.0', servers: [{ url: `${op.issuer}/admin/v1` }] });
  });

  it('answers unknown routes 404 and wrong methods 405 with Allow, in the catalogue format', async () => {
    const token = await automationToken(op);
    const missing = await admin(op, 'GET', '/nothing-here', { token });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('ERR_ADMIN_NOT_FOUND');
    const wrong = await admin(op, 'DELETE', '/accounts', { token });
    expect(wrong.status).toBe(405);
    expect(wrong.body.code).toBe('ERR_ADMIN_METHOD_NOT_ALLOWED');
    expect(wrong.headers.get('allow')).toContain('POST');
  });
});
