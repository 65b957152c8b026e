// RP-initiated logout in Chromium: the confirmation page works without any script of its own, its
// Sign out button ends the session at Portcullis and returns to the client, and the other button
// does what its label says.
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchBrowser, recordedPage, signIn, startSite, testClientsOn, type Recorder, type Site } from '../helpers/browser.ts';
import { startPortcullis, type RunningPortcullis } from '../helpers/portcullis.ts';
import { discoverSpa, pkceRequest } from './support.ts';

const PASSWORD = 'correct horse battery';

let op: RunningPortcullis;
let browser: Browser;
let rp: client.Configuration;
let site: Site;
let context: BrowserContext;
let page: Page;
let recorder: Recorder;

beforeAll(async () => {
  [site, browser] = await Promise.all([startSite(), launchBrowser()]);
  op = await startPortcullis({ redisUrl: inject('redisUrl'), overrides: { clients: testClientsOn(site) } });
  await op.accounts.create({ username: 'alice', password: PASSWORD, name: 'Alice Liddell' });
  rp = await discoverSpa(op.issuer);
});

afterAll(async () => {
  await browser?.close();
  await op?.close();
  await site?.close();
});

beforeEach(async () => {
  ({ context, recorder, page } = await recordedPage(browser));
});

afterEach(async () => {
  await context.close();
});

/** Runs an authorization request in the page; returns where it came back to the client. */
async function authorize(extra: Record<string, string> = {}): Promise<{ callback: URL; verifier: string; state: string }> {
  const { url, verifier, state } = await pkceRequest(rp, `${site.origin}/callback`, 'openid profile', extra);
  await page.goto(url.href);
  if (extra.prompt !== 'none') {
    await signIn(page, 'alice', PASSWORD);
    await page.getByRole('button', { name: 'Allow' }).click();
  }
  await page.waitForURL((current) => current.origin === site.origin);
  return { callback: new URL(page.url()), verifier, state };
}

async function signedInWithIdToken(): Promise<string> {
  const { callback, verifier, state } = await authorize();
  const tokens = await client.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state });
  return tokens.id_token as string;
}

function endSessionUrl(idToken: string): string {
  return client.buildEndSessionUrl(rp, { id_token_hint: idToken, post_logout_redirect_uri: `${site.origin}/signed-out`, state: 'bye' }).href;
}

describe('RP-initiated logout in Chromium', () => {
  it('renders a confirmation page without script, and Sign out ends the session and returns to the client', async () => {
    const idToken = await signedInWithIdToken();
    // Signed in: a silent request succeeds.
    expect((await authorize({ prompt: 'none' })).callback.searchParams.has('code')).toBe(true);

    await page.goto(endSessionUrl(idToken));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Sign out');
    expect(await page.locator('.lead').innerText()).toBe('Do you want to sign out of Shell SPA and Portcullis?');
    expect(await page.getByRole('button').allInnerTexts()).toEqual(['Sign out', 'Sign out of Shell SPA only']);
    const scripts = await page.evaluate(() => ({
      elements: document.querySelectorAll('script').length,
      handlers: [...document.querySelectorAll('*')].flatMap((element) => element.getAttributeNames().filter((name) => name.startsWith('on'))),
    }));
    expect(scripts).toEqual({ elements: 0, handlers: [] });

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL((url) => url.origin === site.origin);
    const back = new URL(page.url());
    expect(back.pathname).toBe('/signed-out');
    expect(back.searchParams.get('state')).toBe('bye');

    // Signed out: a silent request now needs a login.
    expect((await authorize({ prompt: 'none' })).callback.searchParams.get('error')).toBe('login_required');
    expect(recorder.violations).toEqual([]);
  });

  it('"Sign out of Shell SPA only" ends that application\'s grant but keeps the Portcullis session', async () => {
    const idToken = await signedInWithIdToken();
    await page.goto(endSessionUrl(idToken));
    await page.getByRole('button', { name: 'Sign out of Shell SPA only' }).click();
    await page.waitForURL((url) => url.origin === site.origin);
    expect(new URL(page.url()).pathname).toBe('/signed-out');

    // Still signed in at Portcullis (no login_required), but the application must ask again.
    expect((await authorize({ prompt: 'none' })).callback.searchParams.get('error')).toBe('consent_required');
  });

  it('without a client offers only Sign out, which ends the session', async () => {
    await signedInWithIdToken();
    await page.goto(new URL('/session/end', op.issuer).href);
    expect(await page.locator('.lead').innerText()).toBe('Do you want to sign out of Portcullis?');
    expect(await page.getByRole('button').allInnerTexts()).toEqual(['Sign out']);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    expect((await authorize({ prompt: 'none' })).callback.searchParams.get('error')).toBe('login_required');
    expect(recorder.violations).toEqual([]);
  });
});
