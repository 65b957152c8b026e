// The shop example (examples/shop) in Chromium: one login through the shell, two micro frontends
// each calling its own microservice with a token for that service only, and revocation in
// Portcullis refused by both services at once, with the tokens the page already holds.
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { revokeAccountGrants } from '../../examples/shop/admin.ts';
import { seedDemoAccount, type DemoAccount } from '../../examples/shop/portcullis.ts';
import { ORDERS, PROFILE } from '../../examples/shop/settings.ts';
import { startShop, type RunningShop } from '../../examples/shop/shop.ts';
import { launchBrowser, recordedPage, signIn, type Recorder } from '../helpers/browser.ts';
import { uniquePrefix } from '../helpers/portcullis.ts';
import { freePort } from '../helpers/redis-server.ts';

let shop: RunningShop;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let recorder: Recorder;
let account: DemoAccount;
/** Token endpoint requests (form parameters), in the order the page sent them. */
let tokenRequests: URLSearchParams[];
/** Bearer tokens the page sent, by service origin. */
let bearers: Map<string, string[]>;

beforeAll(async () => {
  const [portcullis, shell, orders, profile] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  [shop, browser] = await Promise.all([
    startShop({ redisUrl: inject('redisUrl'), keyPrefix: uniquePrefix(), logLevel: 'silent', ports: { portcullis, shell, orders, profile } }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

let accounts = 0;
beforeEach(async () => {
  // An account per test: revocations in one test never touch another's grants.
  accounts += 1;
  account = await seedDemoAccount(shop.provider.portcullis, `shopper${accounts}`);
  ({ context, recorder, page } = await recordedPage(browser));
  tokenRequests = [];
  bearers = new Map();
  context.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (request.method() === 'POST' && request.url() === `${shop.urls.issuer}/token`) tokenRequests.push(new URLSearchParams(request.postData() ?? ''));
    const authorization = request.headers().authorization;
    if (authorization?.startsWith('Bearer ')) bearers.set(url.origin, [...(bearers.get(url.origin) ?? []), authorization.slice('Bearer '.length)]);
  });
});

afterEach(async () => {
  await context.close();
});

const orders = () => page.getByRole('region', { name: 'Your orders' });
const profile = () => page.getByRole('region', { name: 'Your profile' });

/** Signs in from the shell through Portcullis' login and consent pages, back to the shell. */
async function signInThroughShell(): Promise<void> {
  await page.goto(shop.urls.shell);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === shop.urls.issuer);
  await signIn(page, account.username, account.password);
  await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(`${shop.urls.shell}/`);
  await orders().getByRole('listitem').first().waitFor();
  await profile().getByText('Profile loaded').waitFor();
}

/** Waits until a service's verifier has read the denylist stream up to `entryId`. */
async function serviceHasRead(serviceUrl: string, entryId: string): Promise<void> {
  const [wantMs, wantSeq] = entryId.split('-').map(BigInt) as [bigint, bigint];
  await expect
    .poll(async () => {
      const { denylist } = (await (await fetch(`${serviceUrl}/health`)).json()) as { denylist: { lastId?: string } };
      const [ms, seq] = (denylist.lastId ?? '0-0').split('-').map(BigInt) as [bigint, bigint];
      return ms > wantMs || (ms === wantMs && seq >= wantSeq);
    })
    .toBe(true);
}

async function callService(url: string, token: string): Promise<{ status: number; challenge: string | null; body: { error?: string; error_description?: string } }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: (await response.json()) as { error?: string } };
}

describe('the shop example in Chromium', () => {
  it('signs in once through the shell and each micro frontend shows its own service data, with a token for that service only', async () => {
    await signInThroughShell();

    expect(await orders().getByRole('listitem').allInnerTexts()).toEqual([
      'A-1001 · Portcullis enamel mug · 12.00 EUR · shipped',
      'A-1002 · Castle gate key ring · 4.50 EUR · processing',
    ]);
    expect(await orders().innerText()).toContain(`Token for ${ORDERS.resource}, scope orders:read`);
    expect(await profile().locator('dd').allInnerTexts()).toEqual(['Gold', '1280', '1 Gatehouse Lane, Castleton']);
    expect(await profile().innerText()).toContain(`Token for ${PROFILE.resource}, scope profile:read`);
    expect(await page.locator('#who').innerText()).toBe('Signed in');
    expect(page.url()).toBe(`${shop.urls.shell}/`);

    // One code exchange (the orders token, asked for by name), then one refresh for the profile token.
    expect(tokenRequests.map((params) => [params.get('grant_type'), params.get('resource'), params.get('scope')])).toEqual([
      ['authorization_code', ORDERS.resource, null],
      ['refresh_token', PROFILE.resource, PROFILE.scope],
    ]);
    expect(tokenRequests.every((params) => params.get('client_id') === 'shop-shell' && !params.has('client_secret'))).toBe(true);
    expect(tokenRequests[0]?.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);

    // Each service got an RFC 9068 token whose audience is that service, for this user.
    const ordersToken = bearers.get(shop.urls.orders)?.[0] as string;
    const profileToken = bearers.get(shop.urls.profile)?.[0] as string;
    expect(decodeJwt(ordersToken)).toMatchObject({ aud: ORDERS.resource, scope: 'orders:read', sub: account.id, client_id: 'shop-shell' });
    expect(decodeJwt(profileToken)).toMatchObject({ aud: PROFILE.resource, scope: 'profile:read', sub: account.id, client_id: 'shop-shell' });
    // ...and neither service accepts the other's token.
    const crossed = await callService(`${shop.urls.profile}/me`, ordersToken);
    expect(crossed.status).toBe(401);
    expect(crossed.body.error).toBe('invalid_token');
    expect((await callService(`${shop.urls.orders}/orders`, profileToken)).status).toBe(401);

    // Tokens live in memory only: neither web storage holds any of them.
    const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
    expect(storage).toBe(JSON.stringify({ local: {}, session: {} }));

    expect(recorder.errors).toEqual([]);
    expect(recorder.violations).toEqual([]);
  });

  it('an admin revokes the grant in Portcullis and both services refuse the tokens the page still holds', async () => {
    await signInThroughShell();
    const heldTokens = [...(bearers.get(shop.urls.orders) ?? []), ...(bearers.get(shop.urls.profile) ?? [])];
    const tokenCalls = tokenRequests.length;

    const revoked = await revokeAccountGrants(shop.admin, account.id, 'e2e: lost laptop');
    expect(revoked).toHaveLength(1);
    expect(decodeJwt(heldTokens[0] as string).grant_id).toBe(revoked[0]?.grantId);
    const entry = revoked[0]?.denylistId as string;
    await Promise.all([serviceHasRead(shop.urls.orders, entry), serviceHasRead(shop.urls.profile, entry)]);

    await orders().getByRole('button', { name: 'Reload orders' }).click();
    await profile().getByRole('button', { name: 'Reload profile' }).click();
    const ordersAlert = orders().getByRole('alert');
    const profileAlert = profile().getByRole('alert');
    await Promise.all([ordersAlert.waitFor(), profileAlert.waitFor()]);
    expect(await ordersAlert.innerText()).toBe('Refused by the orders service: 401 invalid_token (the access token has been revoked)');
    expect(await profileAlert.innerText()).toBe('Refused by the profile service: 401 invalid_token (the access token has been revoked)');
    await expect.poll(() => orders().getByRole('listitem').count()).toBe(0);

    // The refused calls carried the very tokens obtained before the revocation, still unexpired:
    // no new token was requested, so the refusal came from the denylist, not from expiry.
    expect(tokenRequests).toHaveLength(tokenCalls);
    const reloads = [...(bearers.get(shop.urls.orders) ?? []), ...(bearers.get(shop.urls.profile) ?? [])];
    expect(new Set(reloads)).toEqual(new Set(heldTokens));
    const now = Math.floor(Date.now() / 1000);
    for (const token of heldTokens) expect(decodeJwt(token).exp).toBeGreaterThan(now + 60);
  });

  it('signing out revokes the refresh token (RFC 7009), so the services refuse the old tokens, and ends the session', async () => {
    await signInThroughShell();
    const ordersToken = bearers.get(shop.urls.orders)?.[0] as string;
    const profileToken = bearers.get(shop.urls.profile)?.[0] as string;
    const revocation = page.waitForRequest((request) => request.url() === `${shop.urls.issuer}/token/revocation` && request.method() === 'POST');

    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(new URLSearchParams((await revocation).postData() ?? '').get('token_type_hint')).toBe('refresh_token');
    await page.waitForURL((url) => url.origin === shop.urls.issuer);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${shop.urls.shell}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.locator('main').innerText()).toBe('');

    // The grant's denylist entry is the newest in the stream: wait until both services read it.
    const [newest] = await shop.provider.portcullis.redis.xrevrange(shop.provider.portcullis.keys.denylistStream(), '+', '-', 'COUNT', 1);
    const lastId = newest?.[0] as string;
    await Promise.all([serviceHasRead(shop.urls.orders, lastId), serviceHasRead(shop.urls.profile, lastId)]);
    for (const [url, token] of [[`${shop.urls.orders}/orders`, ordersToken], [`${shop.urls.profile}/me`, profileToken]] as const) {
      const refused = await callService(url, token);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ error: 'invalid_token', error_description: 'the access token has been revoked' });
      expect(refused.challenge).toContain('error="invalid_token"');
    }
    expect(recorder.errors).toEqual([]);
  });

  it('answers CORS for the shell origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${shop.urls.orders}/orders`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    const allowed = await preflight(shop.urls.shell);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(shop.urls.shell);
    expect(allowed.headers.get('access-control-allow-headers')).toBe('Authorization');
    const foreign = await preflight('http://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    // In the browser: a page on another origin cannot read the profile service.
    await page.goto(`${shop.urls.issuer}/.well-known/openid-configuration`);
    const outcome = await page.evaluate((url) => fetch(url).then((r) => `read ${r.status}`, () => 'blocked'), `${shop.urls.profile}/me`);
    expect(outcome).toBe('blocked');
  });
});

interface TokenBrokerModule {
  createTokenBroker(options: { requestToken(resource: string): Promise<{ accessToken: string; expiresAt: number }> }): { getAccessToken(resource: string): Promise<string> };
}

describe('the shell token broker (examples/shop/shell/public/token-broker.js) in Chromium', () => {
  it('runs one token request at a time and shares a request among callers of the same resource', async () => {
    await page.goto(shop.urls.shell);
    // A string, so the test runner's module transform leaves this import() to the browser.
    await page.evaluate("import('/token-broker.js').then((module) => { globalThis.tokenBroker = module; })");
    const result = await page.evaluate(async () => {
      const { createTokenBroker } = (globalThis as unknown as { tokenBroker: TokenBrokerModule }).tokenBroker;
      const calls: string[] = [];
      let active = 0;
      let mostActive = 0;
      let failNext = true;
      const broker = createTokenBroker({
        async requestToken(resource) {
          calls.push(resource);
          active += 1;
          mostActive = Math.max(mostActive, active);
          // Yield to the event loop so overlapping requests, if any were allowed, would show.
          await new Promise((resolve) => setTimeout(resolve, 0));
          active -= 1;
          if (resource === 'flaky' && failNext) {
            failNext = false;
            throw new Error('invalid_grant');
          }
          return { accessToken: `${resource}#${calls.length}`, expiresAt: Date.now() / 1000 + 300 };
        },
      });
      const get = (resource: string) => broker.getAccessToken(resource).catch((error: Error) => `rejected: ${error.message}`);
      const concurrent = await Promise.all([get('orders'), get('orders'), get('profile'), get('flaky'), get('orders'), get('flaky')]);
      const later = await Promise.all([get('orders'), get('flaky')]);
      return { concurrent, later, calls, mostActive };
    });
    expect(result.concurrent).toEqual(['orders#1', 'orders#1', 'profile#2', 'rejected: invalid_grant', 'orders#1', 'rejected: invalid_grant']);
    // Cached tokens come back without a request; a failed request is not cached.
    expect(result.later).toEqual(['orders#1', 'flaky#4']);
    expect(result.calls).toEqual(['orders', 'profile', 'flaky', 'flaky']);
    expect(result.mostActive).toBe(1);
  });
});
