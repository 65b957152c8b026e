// Portcullis keeps no state of its own: a provider restarted on the same Redis (same key prefix,
// issuer, cookie keys and signing keys) honours the sessions, grants and tokens of the old one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/redis-server.ts';
import { API, generateSigningKey, uniquePrefix, type StartOptions } from '../../helpers/portcullis.ts';
import {
  authorizationRequest,
  exchangeCode,
  introspect,
  jwtPayload,
  obtainTokens,
  postForm,
  silentAuthorize,
  startConformanceOp,
  type ConformanceOp,
  type TokenResponse,
} from '../conformance/support.ts';

let dir: string;
let shared: Omit<StartOptions, 'redisUrl'>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portcullis-restart-'));
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [await generateSigningKey('ES256')] }));
  shared = { keyPrefix: uniquePrefix(), port: await freePort(), jwksFile, cookieKeys: ['restart-cookie-key-0123456789-0123456789'] };
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function restarted(before: ConformanceOp): Promise<ConformanceOp> {
  await before.close();
  return startConformanceOp(shared);
}

describe('restarting the provider on the same Redis', () => {
  it('keeps sessions, grants, refresh tokens and issued tokens working', async () => {
    let op = await startConformanceOp(shared);
    const tokens = await obtainTokens(op, 'web', { scope: 'openid profile offline_access', prompt: 'consent' });
    const apiTokens = await obtainTokens(op, 'web', { scope: 'openid orders:read', resource: API }, { jar: tokens.jar });
    const before = jwtPayload(tokens.id_token as string);

    op = await restarted(op);
    try {
      expect(op.issuer).toBe(before.iss);

      // The session cookie from before still signs in silently, with the consent already given.
      const request = await authorizationRequest(op, 'web', { prompt: 'none', scope: 'openid profile' });
      const callback = await silentAuthorize(op, request.url, tokens.jar);
      expect(callback.searchParams.get('error')).toBeNull();
      const exchanged = await exchangeCode(op, { client: 'web', code: callback.searchParams.get('code') as string, pkce: request.pkce });
      expect(exchanged.status).toBe(200);
      const silent = jwtPayload(((await exchanged.json()) as TokenResponse).id_token as string);
      expect(silent.sub).toBe(before.sub);
      expect(silent.auth_time).toBe(before.auth_time);

      // Tokens issued before the restart: the opaque access token, the refresh token, the JWTs.
      expect(await introspect(op, tokens.access_token)).toMatchObject({ active: true, sub: op.sub });
      expect((await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);
      const refreshed = await postForm(op, '/token', 'web', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string });
      expect(refreshed.status).toBe(200);
      expect(jwtPayload(((await refreshed.json()) as TokenResponse).id_token as string).sub).toBe(before.sub);

      const jwks = createRemoteJWKSet(new URL(`${op.issuer}/jwks`));
      await expect(jwtVerify(tokens.id_token as string, jwks, { issuer: op.issuer, audience: 'web' })).resolves.toBeDefined();
      await expect(jwtVerify(apiTokens.access_token, jwks, { issuer: op.issuer, audience: API, typ: 'at+jwt' })).resolves.toBeDefined();
    } finally {
      await op.close();
    }
  });

  it('with generated development keys, keeps them in Redis so a restart agrees with itself', async () => {
    const options = { keyPrefix: uniquePrefix(), port: await freePort() };
    let op = await startConformanceOp({ ...options, overrides: { cookies: { keys: [] } } });
    const tokens = await obtainTokens(op, 'spa', { scope: 'openid offline_access', prompt: 'consent' });
    const firstKeys = await (await fetch(`${op.issuer}/jwks`)).json();
    await op.close();

    op = await startConformanceOp({ ...options, overrides: { cookies: { keys: [] } } });
    try {
      expect(await (await fetch(`${op.issuer}/jwks`)).json()).toEqual(firstKeys);
      const request = await authorizationRequest(op, 'spa', { prompt: 'none' });
      expect((await silentAuthorize(op, request.url, tokens.jar)).searchParams.get('code')).toBeTypeOf('string');
      expect((await postForm(op, '/token', 'spa', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string })).status).toBe(200);
    } finally {
      await op.close();
    }
  });

  it('a different cookie key ends the old sessions (the cookie is no longer trusted)', async () => {
    const options = { ...shared, keyPrefix: uniquePrefix(), port: await freePort() };
    let op = await startConformanceOp(options);
    const tokens = await obtainTokens(op, 'web');
    await op.close();

    op = await startConformanceOp({ ...options, cookieKeys: ['another-cookie-key-0123456789-0123456789'] });
    try {
      const request = await authorizationRequest(op, 'web', { prompt: 'none' });
      expect((await silentAuthorize(op, request.url, tokens.jar)).searchParams.get('error')).toBe('login_required');
    } finally {
      await op.close();
    }
  });
});
