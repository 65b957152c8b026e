// Authorization Code + PKCE in real Chromium: the labelled login form, the consent page in words,
// the redirect back with code, state and iss, and a code that openid-client exchanges for tokens.
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchBrowser, recordedPage, signIn, startSite, testClientsOn, type Recorder, type Site } from '../helpers/browser.ts';
import { API, startPortcullis, type RunningPortcullis } from '../helpers/portcullis.ts';
import { discoverSpa, pkceRequest } from './support.ts';

const PASSWORD = 'correct horse battery';

let op: RunningPortcullis;
let browser: Browser;
let rp: client.Configuration;
let context: BrowserContext;
let page: Page;
let recorder: Recorder;
let site: Site;
let callbackUrl: string;

beforeAll(async () => {
  [site, browser] = await Promise.all([startSite(), launchBrowser()]);
  callbackUrl = `${site.origin}/callback`;
  op = await startPortcullis({ redisUrl: inject('redisUrl'), overrides: { clients: testClientsOn(site) } });
  await op.accounts.create({ username: 'alice', password: PASSWORD, name: 'Alice Liddell', email: 'alice@example.com' });
  rp = await discoverSpa(op.issuer);
});

afterAll(async () => {
  await browser?.close();
  await op?.close();
  await site?.close();
});

beforeEach(async () => {
  ({ context, recorder, page } = await recordedPage(browser));
  site.hits.length = 0;
});

afterEach(async () => {
  await context.close();
});

async function authorizationRequest() {
  const nonce = client.randomNonce();
  const request = await pkceRequest(rp, callbackUrl, 'openid profile email orders:read', { resource: API, nonce });
  return { ...request, nonce };
}

/** Nothing a person can see may look like a stack trace or an internal error. */
async function expectNoInternals(): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\bat \S+ \(|node_modules|Error:|TypeError|ReferenceError|\.ts:\d+/);
}

describe('login in Chromium', () => {
  it('signs in through the labelled form and consent page and returns a code that exchanges for tokens', async () => {
    const request = await authorizationRequest();
    await page.goto(request.url.href);
    await expect.poll(() => page.title()).toBe('Sign in · Portcullis');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Sign in');
    expect(await page.locator('.lead').innerText()).toContain('Shell SPA');

    await signIn(page, 'alice', PASSWORD);
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    expect(new URL(page.url()).origin).toBe(op.issuer);
    expect(await page.locator('.lead').innerText()).toBe('Shell SPA asks to:');
    const scopes = await page.locator('ul.scopes li').allInnerTexts();
    expect(scopes.map((s) => s.trim())).toEqual([
      'Confirm who you are openid',
      'See your name and username profile',
      'See your email address email',
      'Read your orders orders:read',
    ]);
    expect(await page.locator('main').innerText()).toContain('Signed in as alice');
    await expectNoInternals();

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.href.startsWith(callbackUrl));
    expect(site.hits.map((hit) => hit.pathname).filter((path) => path !== '/favicon.ico')).toEqual(['/callback']);
    const callback = new URL(page.url());
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.get('iss')).toBe(op.issuer);
    expect(callback.searchParams.get('code')).toMatch(/^[\w-]{32,}$/);

    const tokens = await client.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    expect(tokens.claims()).toMatchObject({ iss: op.issuer, aud: 'spa', nonce: request.nonce });
    const [header] = tokens.access_token.split('.');
    expect(JSON.parse(Buffer.from(header as string, 'base64url').toString()).typ).toBe('at+jwt');
    expect(recorder.errors).toEqual([]);
    expect(recorder.violations).toEqual([]);
  });

  it('announces a wrong password as an alert, keeps the username and shows no internals', async () => {
    const request = await authorizationRequest();
    await page.goto(request.url.href);
    await signIn(page, 'alice', 'not the password');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe('Wrong username or password.');
    expect(await page.getByLabel('Username').inputValue()).toBe('alice');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    // The error is tied to the field it concerns, so a screen reader reads it on focus.
    expect(await page.getByLabel('Username').getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
    await expectNoInternals();

    // The same page still works: the right password goes on to consent.
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    expect(recorder.violations).toEqual([]);
  });

  it('Cancel on the login page returns to the application with access_denied', async () => {
    const request = await authorizationRequest();
    await page.goto(request.url.href);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('typed before changing my mind');
    const abort = page.waitForRequest((request) => request.url().endsWith('/abort'));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((url) => url.href.startsWith(callbackUrl));
    const callback = new URL(page.url());
    expect(Object.fromEntries(callback.searchParams)).toMatchObject({ error: 'access_denied', state: request.state, iss: op.issuer });
    expect(callback.searchParams.has('code')).toBe(false);
    // Only the CSRF token went to the abort route, never the credentials typed so far.
    expect([...new URLSearchParams((await abort).postData() ?? '').keys()]).toEqual(['csrf']);
    expect(recorder.violations).toEqual([]);
  });

  it('shows friendly pages without internals for a foreign redirect URI, an unknown client and a stale interaction', async () => {
    const pages = [
      new URL(`/auth?client_id=spa&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(`${site.origin}/elsewhere`)}`, op.issuer),
      new URL(`/auth?client_id=nobody&response_type=code&redirect_uri=${encodeURIComponent(callbackUrl)}`, op.issuer),
      new URL('/interaction/not-a-real-uid', op.issuer),
    ];
    for (const url of pages) {
      const response = await page.goto(url.href);
      expect(response?.status(), url.href).toBeGreaterThanOrEqual(400);
      expect(response?.status(), url.href).toBeLessThan(500);
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
      await expectNoInternals();
    }
    expect(site.hits).toEqual([]);
    expect(recorder.violations).toEqual([]);
  });
});
