// CORS: a page may call token, userinfo and revocation only from the origin of a registered
// browser (public) client; any other origin gets no Access-Control-Allow-Origin, so the browser
// keeps the response from the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obtainCode, obtainTokens, postForm, startConformanceOp, type ConformanceOp, type OAuthError } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

const SPA_ORIGIN = 'https://spa.example.test';
const FOREIGN = ['https://evil.example.test', 'https://web.example.test', 'http://spa.example.test', 'https://spa.example.test:8443', 'null'];
const OFFLINE = { scope: 'openid offline_access', prompt: 'consent' };

describe('token endpoint', () => {
  it('allows the spa’s own origin', async () => {
    const code = await obtainCode(op, 'spa');
    const withOrigin = await postForm(op, '/token', 'spa', { grant_type: 'authorization_code', code: code.code, redirect_uri: 'https://spa.example.test/callback', code_verifier: code.pkce.verifier }, { origin: SPA_ORIGIN });
    expect(withOrigin.status).toBe(200);
    expect(withOrigin.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(withOrigin.headers.get('vary')).toMatch(/Origin/i);
  });

  it.each(FOREIGN)('refuses origin %s for the spa, without Access-Control-Allow-Origin', async (origin) => {
    const code = await obtainCode(op, 'spa');
    const response = await postForm(op, '/token', 'spa', { grant_type: 'authorization_code', code: code.code, redirect_uri: 'https://spa.example.test/callback', code_verifier: code.pkce.verifier }, { origin });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.status).toBe(400);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_request');
  });

  it('gives a confidential client no CORS at all, even from its own redirect origin', async () => {
    const code = await obtainCode(op, 'web');
    const response = await postForm(op, '/token', 'web', { grant_type: 'authorization_code', code: code.code, redirect_uri: 'https://web.example.test/callback', code_verifier: code.pkce.verifier }, { origin: 'https://web.example.test' });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.status).toBe(400);
  });

  it('answers a preflight from the spa’s origin, and none from a foreign one', async () => {
    const preflight = (origin: string) =>
      fetch(`${op.issuer}/token`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,dpop' } });
    const own = await preflight(SPA_ORIGIN);
    expect(own.status).toBe(204);
    expect(own.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    expect(own.headers.get('access-control-allow-methods')).toContain('POST');
    for (const origin of FOREIGN) {
      expect((await preflight(origin)).headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});

describe('userinfo', () => {
  it('allows the spa’s origin with the spa’s token, not a foreign origin', async () => {
    const tokens = await obtainTokens(op, 'spa');
    const own = await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}`, origin: SPA_ORIGIN } });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
    for (const origin of FOREIGN) {
      const foreign = await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}`, origin } });
      expect(foreign.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(foreign.status, origin).toBe(400);
    }
  });

  it('does not allow the spa’s origin to use a confidential client’s token', async () => {
    const tokens = await obtainTokens(op, 'web');
    const response = await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}`, origin: SPA_ORIGIN } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('revocation', () => {
  it('allows the spa’s origin, not a foreign one', async () => {
    const tokens = await obtainTokens(op, 'spa', OFFLINE);
    const foreign = await postForm(op, '/token/revocation', 'spa', { token: tokens.refresh_token as string }, { origin: 'https://evil.example.test' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.status).toBe(400);
    const own = await postForm(op, '/token/revocation', 'spa', { token: tokens.refresh_token as string }, { origin: SPA_ORIGIN });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
  });
});

describe('introspection', () => {
  it('is never open to a page', async () => {
    const tokens = await obtainTokens(op, 'web');
    const response = await postForm(op, '/token/introspection', 'web', { token: tokens.access_token }, { origin: 'https://web.example.test' });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${op.issuer}/token/introspection`, { method: 'OPTIONS', headers: { origin: SPA_ORIGIN, 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('interaction pages', () => {
  it('send no CORS headers', async () => {
    const response = await fetch(`${op.issuer}/interaction/unknown`, { headers: { origin: SPA_ORIGIN } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
