// Session-dependent authorization requests (OpenID Connect Core §3.1.2.1): prompt=none answers
// without any page, prompt=login and max_age force a fresh login with a later auth_time.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../helpers/login.ts';
import {
  authorizationRequest,
  exchangeCode,
  follow,
  jwtPayload,
  obtainCode,
  obtainTokens,
  silentAuthorize,
  startConformanceOp,
  type ConformanceOp,
  type TokenResponse,
} from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

/** auth_time has one-second resolution: wait until the clock shows a later second. */
async function nextSecondAfter(epochSeconds: number): Promise<void> {
  while (Math.floor(Date.now() / 1000) <= epochSeconds) await sleep(50);
}

async function idTokenOf(client: 'web' | 'spa', callback: URL, request: Awaited<ReturnType<typeof authorizationRequest>>): Promise<Record<string, unknown>> {
  const code = callback.searchParams.get('code');
  expect(code, callback.href).toBeTypeOf('string');
  const response = await exchangeCode(op, { client, code: code as string, pkce: request.pkce });
  expect(response.status).toBe(200);
  return jwtPayload(((await response.json()) as TokenResponse).id_token as string);
}

describe('prompt=none', () => {
  it('without a session returns login_required to the redirect_uri with state and iss', async () => {
    const request = await authorizationRequest(op, 'spa', { prompt: 'none' });
    const callback = await silentAuthorize(op, request.url, new CookieJar());
    expect(`${callback.origin}${callback.pathname}`).toBe('https://spa.example.test/callback');
    expect(callback.searchParams.get('error')).toBe('login_required');
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.get('iss')).toBe(op.issuer);
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('with a session succeeds silently for the same sub', async () => {
    const first = await obtainTokens(op, 'spa');
    const firstClaims = jwtPayload(first.id_token as string);

    const request = await authorizationRequest(op, 'spa', { prompt: 'none' });
    const callback = await silentAuthorize(op, request.url, first.jar);
    expect(callback.searchParams.get('error')).toBeNull();
    expect(callback.searchParams.get('state')).toBe(request.state);
    const claims = await idTokenOf('spa', callback, request);
    expect(claims.sub).toBe(firstClaims.sub);
    expect(claims.sub).toBe(op.sub);
    expect(claims.nonce).toBe(request.nonce);
    // No new login happened.
    expect(claims.auth_time).toBe(firstClaims.auth_time);
  });

  it('with a session but scopes not yet consented returns consent_required', async () => {
    const first = await obtainTokens(op, 'web');
    const request = await authorizationRequest(op, 'web', { prompt: 'none', scope: 'openid email' });
    const callback = await silentAuthorize(op, request.url, first.jar);
    expect(callback.searchParams.get('error')).toBe('consent_required');
    expect(callback.searchParams.get('state')).toBe(request.state);
  });
});

describe('forcing a fresh login', () => {
  it('prompt=login shows the login page despite a session and yields a later auth_time', async () => {
    const first = await obtainTokens(op, 'spa');
    const firstAuthTime = jwtPayload(first.id_token as string).auth_time as number;
    await nextSecondAfter(firstAuthTime);

    const request = await authorizationRequest(op, 'spa', { prompt: 'login' });
    const page = await follow(request.url, first.jar, op.issuer);
    expect('html' in page && page.html.includes('name="password"')).toBe(true);

    const again = await obtainCode(op, 'spa', { prompt: 'login' }, { jar: first.jar, consent: 'none' });
    const claims = await idTokenOf('spa', again.callback, again);
    expect(claims.sub).toBe(op.sub);
    expect(claims.auth_time).toBeGreaterThan(firstAuthTime);
  });

  it('max_age=0 forces a login; a generous max_age reuses the session and its auth_time', async () => {
    const first = await obtainTokens(op, 'spa');
    const firstAuthTime = jwtPayload(first.id_token as string).auth_time as number;

    const generous = await authorizationRequest(op, 'spa', { max_age: '3600' });
    const silent = await silentAuthorize(op, generous.url, first.jar);
    expect((await idTokenOf('spa', silent, generous)).auth_time).toBe(firstAuthTime);

    await nextSecondAfter(firstAuthTime);
    const strict = await authorizationRequest(op, 'spa', { max_age: '0' });
    const page = await follow(strict.url, first.jar, op.issuer);
    expect('html' in page && page.html.includes('name="password"')).toBe(true);

    const again = await obtainCode(op, 'spa', { max_age: '0' }, { jar: first.jar, consent: 'none' });
    const claims = await idTokenOf('spa', again.callback, again);
    expect(claims.auth_time).toBeGreaterThan(firstAuthTime);
  });

  it('max_age with prompt=none and a stale session answers login_required', async () => {
    const first = await obtainTokens(op, 'spa');
    await nextSecondAfter(jwtPayload(first.id_token as string).auth_time as number);
    const request = await authorizationRequest(op, 'spa', { prompt: 'none', max_age: '0' });
    const callback = await silentAuthorize(op, request.url, first.jar);
    expect(callback.searchParams.get('error')).toBe('login_required');
  });
});
