// One table of HTTP cases run against both the Koa and the Express adapter, so the two answer alike.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { appendDenylistEntry } from '../../../../src/revocation/denylist.ts';
import { createKeys } from '../../../../src/store/keys.ts';
import { createVerifier, type Verifier } from '../../../../src/verifier/index.ts';
import { startRedisServer } from '../../../helpers/redis-server.ts';
import { AUDIENCE, createDpopClient, nowSeconds, type TestIssuer } from './test-issuer.ts';

/** Starts an app with `GET /orders` (scope orders:read) and `POST /orders` (scope orders:write),
 * each answering 200 with the claims the middleware attached. */
export type StartApp = (verifier: Verifier) => Promise<{ url: string; close(): Promise<void> }>;

export function middlewareCases(getIssuer: () => TestIssuer, redisUrl: () => string, startApp: StartApp): void {
  async function withApp(run: (url: string, verifier: Verifier, keyPrefix: string) => Promise<void>, redis = redisUrl(), maxStalenessMs?: number) {
    const keyPrefix = `t${randomUUID().slice(0, 8)}`;
    const verifier = createVerifier({ issuer: getIssuer().issuer, audience: AUDIENCE, redis, keyPrefix, ...(maxStalenessMs ? { maxStalenessMs } : {}) });
    await verifier.ready();
    const app = await startApp(verifier);
    try {
      await run(app.url, verifier, keyPrefix);
    } finally {
      await app.close();
      await verifier.close();
    }
  }

  it('200 with the claims on the request context', async () => {
    await withApp(async (url) => {
      const token = await getIssuer().token({ sub: 'alice' });
      const response = await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ sub: 'alice', client_id: 'client-1' });
    });
  });

  it('401 without an error code when no token is sent', async () => {
    await withApp(async (url) => {
      const response = await fetch(`${url}/orders`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer, DPoP algs="ES256 RS256 PS256 EdDSA"');
      expect(await response.json()).toEqual({ error_description: 'an access token is required' });
    });
  });

  it('401 invalid_token for an expired token', async () => {
    await withApp(async (url) => {
      const token = await getIssuer().token({ exp: nowSeconds() - 60 });
      const response = await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="the access token has expired"');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ error: 'invalid_token', error_description: 'the access token has expired' });
    });
  });

  it('401 invalid_token for a malformed Authorization header', async () => {
    await withApp(async (url) => {
      const response = await fetch(`${url}/orders`, { headers: { authorization: 'Bearer a b' } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    });
  });

  it('401 invalid_token for a revoked token', async () => {
    await withApp(async (url, _verifier, keyPrefix) => {
      const writer = new Redis(redisUrl());
      const token = await getIssuer().token({ grant_id: 'g-mw' });
      await appendDenylistEntry(writer, createKeys(keyPrefix), { kind: 'grant', value: 'g-mw', expiresAt: nowSeconds() + 60 }, { maxTokenTtlSeconds: 3600 });
      writer.disconnect();
      await expect
        .poll(async () => (await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } })).status)
        .toBe(401);
      const response = await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } });
      expect(await response.json()).toEqual({ error: 'invalid_token', error_description: 'the access token has been revoked' });
    });
  });

  it('403 insufficient_scope naming the required scope', async () => {
    await withApp(async (url) => {
      const token = await getIssuer().token({ scope: 'orders:read' });
      const response = await fetch(`${url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer error="insufficient_scope", error_description="the access token lacks a required scope", scope="orders:write"',
      );
      expect(await response.json()).toEqual({ error: 'insufficient_scope', error_description: 'the access token lacks a required scope' });
    });
  });

  it('503 when the denylist is stale (fail-closed)', async () => {
    const server = await startRedisServer();
    await withApp(
      async (url) => {
        await server.stop();
        await new Promise((resolve) => setTimeout(resolve, 500));
        const token = await getIssuer().token();
        const response = await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(503);
        expect(response.headers.get('www-authenticate')).toBeNull();
        expect(response.headers.get('retry-after')).toBe('1');
        expect(await response.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'revocation state is temporarily unavailable' });
      },
      server.url,
      200,
    );
    await server.destroy();
  });

  it('DPoP: 200 with a valid proof; 401 DPoP invalid_dpop_proof with a wrong one; bound token as Bearer refused', async () => {
    await withApp(async (url) => {
      const client = await createDpopClient();
      const token = await getIssuer().token({ cnf: { jkt: client.jkt } });
      const ok = await fetch(`${url}/orders?page=2`, {
        headers: { authorization: `DPoP ${token}`, dpop: await client.proof({ method: 'GET', url: `${url}/orders`, accessToken: token }) },
      });
      expect(ok.status).toBe(200);

      const wrong = await fetch(`${url}/orders`, {
        headers: { authorization: `DPoP ${token}`, dpop: await client.proof({ method: 'GET', url: `${url}/elsewhere`, accessToken: token }) },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toBe(
        'DPoP error="invalid_dpop_proof", error_description="DPoP proof htu does not match the request URL", algs="ES256 RS256 PS256 EdDSA"',
      );

      const asBearer = await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } });
      expect(asBearer.status).toBe(401);
      expect(asBearer.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
    });
  });
}
