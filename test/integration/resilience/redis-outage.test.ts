// Redis unreachable: requests that need it answer 503 temporarily_unavailable (JSON for API
// endpoints, a friendly page for browser pages), readiness fails, liveness does not, and the
// service recovers by itself when the same Redis comes back: no provider restart.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, formFields } from '../../helpers/login.ts';
import { startPortcullis } from '../../helpers/portcullis.ts';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.ts';
import {
  authorizationRequest,
  exchangeCode,
  obtainCode,
  obtainTokens,
  PASSWORD,
  postForm,
  silentAuthorize,
  STACK_TRACE,
  USERNAME,
  type ConformanceOp,
  type OAuthError,
  type TokenResponse,
} from '../conformance/support.ts';

let redis: RedisServer;
let op: ConformanceOp;

beforeAll(async () => {
  // Persistent, so the data written before the outage is there again after it.
  redis = await startRedisServer({ persistent: true });
  const running = await startPortcullis({ redisUrl: redis.url });
  const account = await running.accounts.create({ username: USERNAME, password: PASSWORD });
  op = Object.assign(running, { sub: account.id });
});

afterAll(async () => {
  await op.close();
  await redis.destroy();
});

/** Polls readiness until the store answers again; the poll is the recovery under test. */
async function ready(deadlineMs = 15_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if ((await fetch(`${op.issuer}/readyz`)).status === 200) return;
    await sleep(100);
  }
  throw new Error('not ready again');
}

function postLogin(loginUrl: URL, jar: CookieJar, csrf: string): Promise<Response> {
  return fetch(`${loginUrl.href}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: op.issuer, cookie: jar.header() },
    body: new URLSearchParams({ csrf, username: USERNAME, password: PASSWORD }).toString(),
  });
}

async function expectUnavailableJson(response: Response): Promise<void> {
  expect(response.status, response.url).toBe(503);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  expect(text).not.toMatch(STACK_TRACE);
  const body = JSON.parse(text) as OAuthError;
  expect(body.error).toBe('temporarily_unavailable');
  expect(body.error_description).toBeTypeOf('string');
}

async function expectUnavailablePage(response: Response): Promise<void> {
  expect(response.status, response.url).toBe(503);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(response.headers.get('location')).toBeNull();
  const html = await response.text();
  expect(html).toContain('briefly unavailable');
  expect(html).toContain('temporarily_unavailable');
  expect(html).not.toMatch(STACK_TRACE);
}

describe('Redis outage', () => {
  it('answers 503 while Redis is down and recovers by itself when it returns', async () => {
    // Before: a session, a grant, a refresh token, an interaction waiting at the login page.
    const tokens = await obtainTokens(op, 'web', { scope: 'openid offline_access', prompt: 'consent' });
    const pending = await obtainCode(op, 'web');
    const waiting = await authorizationRequest(op, 'web');
    const loginJar = new CookieJar();
    const first = await fetch(waiting.url, { redirect: 'manual' });
    loginJar.store(first);
    const loginUrl = new URL(first.headers.get('location') as string, op.issuer);
    const loginCsrf = formFields(await (await fetch(loginUrl, { headers: { cookie: loginJar.header() } })).text()).csrf;

    await redis.stop();

    // Pages and endpoints that do not need the store keep answering.
    expect((await fetch(`${op.issuer}/healthz`)).status).toBe(200);
    expect((await fetch(`${op.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    expect((await fetch(`${op.issuer}/jwks`)).status).toBe(200);

    const readiness = await fetch(`${op.issuer}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: 'unavailable', store: 'unreachable' });

    // Sent together, as traffic would arrive: each waits out the client's reconnect attempts.
    const fresh = await authorizationRequest(op, 'web');
    const silent = await authorizationRequest(op, 'web', { prompt: 'none' });
    const html = { redirect: 'manual', headers: { accept: 'text/html' } } as const;
    await Promise.all([
      // API endpoints: OAuth error JSON.
      exchangeCode(op, pending).then(expectUnavailableJson),
      postForm(op, '/token', 'web', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string }).then(expectUnavailableJson),
      postForm(op, '/token', 'service', { grant_type: 'client_credentials' }).then(expectUnavailableJson),
      fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } }).then(expectUnavailableJson),
      postForm(op, '/token/introspection', 'web', { token: tokens.access_token }).then(expectUnavailableJson),
      postForm(op, '/token/revocation', 'web', { token: tokens.access_token }).then(expectUnavailableJson),
      // Browser pages: a friendly page, never a redirect with an error.
      fetch(fresh.url, html).then(expectUnavailablePage),
      fetch(silent.url, { ...html, headers: { ...html.headers, cookie: tokens.jar.header() } }).then(expectUnavailablePage),
      fetch(loginUrl, { ...html, headers: { ...html.headers, cookie: loginJar.header() } }).then(expectUnavailablePage),
      postLogin(loginUrl, loginJar, loginCsrf).then(expectUnavailablePage),
    ]);

    // Redis comes back on the same port: no provider restart.
    await redis.restart();
    await ready();

    // Everything written before the outage works again, and new work succeeds.
    const exchanged = await exchangeCode(op, pending);
    expect(exchanged.status).toBe(200);
    const refreshed = await postForm(op, '/token', 'web', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string });
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as TokenResponse).access_token).toBeTypeOf('string');
    expect((await postForm(op, '/token', 'service', { grant_type: 'client_credentials' })).status).toBe(200);
    const again = await authorizationRequest(op, 'web', { prompt: 'none' });
    expect((await silentAuthorize(op, again.url, tokens.jar)).searchParams.get('code')).toBeTypeOf('string');
    const page = await fetch(loginUrl, { headers: { accept: 'text/html', cookie: loginJar.header() } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="password"');
  });
});
