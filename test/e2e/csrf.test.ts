// Login CSRF in a real browser: while the victim's sign-in page is open, a page on another origin
// auto-submits a hidden form to the victim's login action with the attacker's credentials (and,
// worst case, the victim's leaked CSRF token). The post must not sign anyone in, and the victim
// must still finish their own sign-in as themselves.
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchBrowser, signIn, startSite, testClientsOn, type Site } from '../helpers/browser.ts';
import { startPortcullis, type RunningPortcullis } from '../helpers/portcullis.ts';
import { discoverSpa, pkceRequest } from './support.ts';

const VICTIM = { username: 'alice', password: 'correct horse battery' };
const ATTACKER = { username: 'mallory', password: 'mallory owns this one' };

let op: RunningPortcullis;
let browser: Browser;
let rp: client.Configuration;
let clientSite: Site;
/** Another site (localhost vs 127.0.0.1): SameSite cookies stay home. */
let crossSite: Site;
/** Same site, another origin (another port): SameSite cookies go along; only our checks remain. */
let sameSite: Site;
const crossSiteFiles: Record<string, { type: string; body: string }> = {};
const sameSiteFiles: Record<string, { type: string; body: string }> = {};
let victimId: string;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [clientSite, crossSite, sameSite, browser] = await Promise.all([startSite(), startSite(crossSiteFiles), startSite(sameSiteFiles, { sameSite: true }), launchBrowser()]);
  op = await startPortcullis({ redisUrl: inject('redisUrl'), overrides: { clients: testClientsOn(clientSite) } });
  const [victim] = await Promise.all([op.accounts.create({ ...VICTIM, name: 'Alice Liddell' }), op.accounts.create({ ...ATTACKER, name: 'Mallory' })]);
  victimId = victim.id;
  rp = await discoverSpa(op.issuer);
});

afterAll(async () => {
  await browser?.close();
  await op?.close();
  await Promise.all([clientSite?.close(), crossSite?.close(), sameSite?.close()]);
});

beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
});

afterEach(async () => {
  await context.close();
});

/** The attacker's page: a hidden form, submitted by a script file (the attacker's page has no CSP). */
function plantAttack(files: Record<string, { type: string; body: string }>, action: string, csrf: string): void {
  const field = (name: string, value: string) => `<input type="hidden" name="${name}" value="${value}">`;
  files['/win-a-prize.html'] = {
    type: 'text/html',
    body: `<!doctype html><html lang="en"><title>You won!</title><form id="f" method="post" action="${action}">${field('csrf', csrf)}${field('username', ATTACKER.username)}${field('password', ATTACKER.password)}</form><script src="/submit.js"></script></html>`,
  };
  files['/submit.js'] = { type: 'text/javascript', body: 'document.getElementById("f").submit();' };
}

async function openVictimLogin() {
  const { url, verifier, state } = await pkceRequest(rp, `${clientSite.origin}/callback`, 'openid profile');
  await page.goto(url.href);
  // The form that holds the password field is the login form.
  const form = page.locator('form', { has: page.getByLabel('Password') });
  const action = new URL((await form.getAttribute('action')) as string, page.url()).href;
  const csrf = (await form.locator('input[name=csrf]').getAttribute('value')) as string;
  expect(action).toMatch(/\/interaction\/[\w-]+\/login$/);
  return { verifier, state, action, csrf };
}

/** Opens the attacker's page in a second tab of the victim's browser; returns the forged post's outcome. */
async function visitAttacker(site: Site, action: string) {
  const tab = await context.newPage();
  const forged = tab.waitForResponse((response) => response.url() === action && response.request().method() === 'POST');
  await tab.goto(`${site.origin}/win-a-prize.html`);
  const response = await forged;
  await tab.waitForLoadState();
  const outcome = { status: response.status(), origin: response.request().headers().origin, body: await tab.locator('body').innerText() };
  await tab.close();
  return outcome;
}

async function sessionCookies(): Promise<string[]> {
  return (await context.cookies(op.issuer)).map((cookie) => cookie.name).filter((name) => name.startsWith('_session'));
}

/** The victim goes on in their own tab, signs in as themselves and gets their own tokens. */
async function victimFinishes(login: { verifier: string; state: string }): Promise<void> {
  await signIn(page, VICTIM.username, VICTIM.password);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL((url) => url.origin === clientSite.origin);
  const tokens = await client.authorizationCodeGrant(rp, new URL(page.url()), { pkceCodeVerifier: login.verifier, expectedState: login.state });
  expect(tokens.claims()?.sub).toBe(victimId);
}

describe('cross-origin form posts to the login action', () => {
  it('from another site: refused without the interaction cookie, nobody signed in, the victim unaffected', async () => {
    const login = await openVictimLogin();
    plantAttack(crossSiteFiles, login.action, 'forged');

    const forged = await visitAttacker(crossSite, login.action);
    expect(forged.origin).toBe(crossSite.origin);
    // SameSite=Lax kept the interaction cookie home, so the post cannot even find an interaction.
    expect([400, 403]).toContain(forged.status);
    expect(forged.body).not.toMatch(/Allow access|Mallory/);
    expect(await sessionCookies()).toEqual([]);

    await victimFinishes(login);
  });

  it('from the same site on another port, even with the leaked CSRF token: 403 by the origin check', async () => {
    const login = await openVictimLogin();
    plantAttack(sameSiteFiles, login.action, login.csrf);

    const forged = await visitAttacker(sameSite, login.action);
    expect(forged.origin).toBe(sameSite.origin);
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('csrf_check_failed');
    expect(await sessionCookies()).toEqual([]);

    await victimFinishes(login);
  });
});
