// What the browser enforces, not just what the headers say: no CSP violation anywhere in the flow,
// a CSP without 'unsafe-inline' that really stops inline script, no framing by another site,
// no-store on interaction pages, and no request leaving Portcullis except the redirect back.
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchBrowser, recordedPage, signIn, startSite, testClientsOn, type Recorder, type Site } from '../helpers/browser.ts';
import { startPortcullis, type RunningPortcullis } from '../helpers/portcullis.ts';

const PASSWORD = 'correct horse battery';
/** --accent in portcullis.css: proves the stylesheet was loaded and applied. */
const ACCENT = 'rgb(31, 95, 191)';

let op: RunningPortcullis;
let browser: Browser;
let client: Site;
let attacker: Site;
const attackerFiles: Record<string, { type: string; body: string }> = {};
let context: BrowserContext;
let page: Page;
let recorder: Recorder;

beforeAll(async () => {
  [client, attacker, browser] = await Promise.all([startSite(), startSite(attackerFiles), launchBrowser()]);
  op = await startPortcullis({ redisUrl: inject('redisUrl'), overrides: { clients: testClientsOn(client) } });
  await op.accounts.create({ username: 'alice', password: PASSWORD, name: 'Alice Liddell', email: 'alice@example.com' });
});

afterAll(async () => {
  await browser?.close();
  await op?.close();
  await client?.close();
  await attacker?.close();
});

beforeEach(async () => {
  ({ context, recorder, page } = await recordedPage(browser));
});

afterEach(async () => {
  await context.close();
});

function authorizationUrl(state: string): string {
  const url = new URL('/auth', op.issuer);
  url.search = new URLSearchParams({
    client_id: 'spa',
    response_type: 'code',
    redirect_uri: `${client.origin}/callback`,
    scope: 'openid profile',
    // These tests never exchange the code; a valid S256 challenge is all the request needs.
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
  }).toString();
  return url.href;
}

function directives(csp: string | undefined): Map<string, string[]> {
  return new Map((csp ?? '').split(';').map((part) => part.trim().split(/\s+/)).filter(([name]) => name).map(([name, ...values]) => [name as string, values]));
}

/** Documents Portcullis served during the test, with their headers. */
function documents(): { url: string; headers: Record<string, string> }[] {
  const seen: { url: string; headers: Record<string, string> }[] = [];
  context.on('response', (response: Response) => {
    if (response.request().resourceType() === 'document' && response.url().startsWith(op.issuer)) seen.push({ url: response.url(), headers: response.headers() });
  });
  return seen;
}

describe('security headers in Chromium', () => {
  it('runs login, a failed attempt, consent and logout without a CSP violation or a request to another site', async () => {
    const served = documents();
    await page.goto(authorizationUrl('csp-flow'));
    await signIn(page, 'alice', 'wrong password');
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.origin === client.origin);
    await page.goto(new URL('/session/end', op.issuer).href);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();

    expect(recorder.violations).toEqual([]);
    // The failed attempt answers 400, which Chromium logs; nothing else may go wrong.
    expect(recorder.errors.filter((error) => !/status of 400/.test(error))).toEqual([]);
    const foreign = recorder.requests.filter((url) => ![op.issuer, client.origin].includes(new URL(url).origin));
    expect(foreign).toEqual([]);
    expect(recorder.requests.filter((url) => new URL(url).origin === client.origin).map((url) => new URL(url).pathname)).toContain('/callback');
    // The stylesheet came from /static and was applied.
    expect(recorder.requests).toContain(`${op.issuer}/static/portcullis.css`);
    expect(await page.getByRole('heading', { level: 1 }).evaluate((h1) => getComputedStyle(h1).fontSize)).toBe('24px');

    // Every HTML response of the flow, redirects included (their Location carries interaction ids).
    const pages = served.filter((document) => document.headers['content-type']?.startsWith('text/html'));
    expect(pages.map((document) => new URL(document.url).pathname)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/interaction\/[\w-]+$/), expect.stringMatching(/^\/interaction\/[\w-]+\/login$/), '/session/end']),
    );
    for (const document of pages) {
      const csp = directives(document.headers['content-security-policy']);
      expect(csp.get('default-src'), document.url).toEqual(["'none'"]);
      expect(csp.get('script-src'), document.url).toEqual(["'self'"]);
      expect(csp.get('style-src'), document.url).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors'), document.url).toEqual(["'none'"]);
      expect(document.headers['content-security-policy'], document.url).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(document.headers['cache-control'], document.url).toContain('no-store');
      expect(document.headers['x-frame-options'], document.url).toBe('DENY');
    }
  });

  it('enforces the CSP: an inline script injected into the login page does not run', async () => {
    await page.goto(authorizationUrl('inline'));
    await page.getByLabel('Username').waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).evaluate((button) => getComputedStyle(button).backgroundColor)).toBe(ACCENT);

    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'document.documentElement.dataset.injected = "ran"';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return document.documentElement.dataset.injected ?? 'blocked';
    });
    expect(ran).toBe('blocked');
    await expect.poll(() => recorder.violations.length).toBeGreaterThan(0);
    expect(recorder.violations.join('\n')).toMatch(/script-src/);
  });

  it('refuses to be framed by another site', async () => {
    attackerFiles['/frame.html'] = {
      type: 'text/html',
      body: `<!doctype html><html lang="en"><title>framing</title><iframe name="victim" src="${authorizationUrl('framed')}" width="600" height="400"></iframe></html>`,
    };
    const refused = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
    await page.goto(`${attacker.origin}/frame.html`);
    expect((await refused).text()).toContain("frame-ancestors 'none'");

    // Chromium swaps the refused document for an error page (and may re-create the frame while
    // doing so), so look the frame up by its element each time rather than holding a handle.
    await expect.poll(() => page.frames().length).toBeGreaterThan(1);
    expect(page.frames().map((frame) => frame.url())).not.toContainEqual(expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/interaction\//));
    expect(await page.frameLocator('iframe[name=victim]').locator('input[name=password]').count()).toBe(0);
  });
});
