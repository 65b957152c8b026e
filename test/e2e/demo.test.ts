// The development demo a newcomer meets after `npm start`: /demo signs in through the real pages
// with Authorization Code + PKCE, shows the ID token's claims, and signs out through the logout
// confirmation page back to /demo. Run on a phone-sized screen, where a newcomer may well try it.
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { demoClient } from '../../src/demo/client.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { connectRedis } from '../../src/store/connect.ts';
import { launchBrowser, recordedPage, signIn, type Recorder } from '../helpers/browser.ts';
import { uniquePrefix } from '../helpers/portcullis.ts';
import { freePort } from '../helpers/redis-server.ts';

const PASSWORD = 'demo password for the e2e test';

let issuer: string;
let server: Server;
let redis: Redis;
let accountId: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let recorder: Recorder;

// startPortcullis has no switch for the demo routes, so the app is composed as src/main.ts does
// it for a development start: the demo client added to the clients, `demo: true`.
beforeAll(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    env: {},
    overrides: {
      issuer,
      port,
      logLevel: 'silent',
      redis: { keyPrefix: uniquePrefix(), url: inject('redisUrl') },
      cookies: { keys: ['demo-e2e-cookie-key-0123456789-0123456789'] },
      clients: [demoClient(issuer)],
    },
  });
  redis = connectRedis({ url: inject('redisUrl') }) as Redis;
  const portcullis = await createApp({ config, redis, logger: createLogger('silent'), demo: true });
  const account = await portcullis.accounts.create({ username: 'demo', password: PASSWORD, name: 'Demo User', email: 'demo@example.com' });
  accountId = account.id;
  server = await new Promise<Server>((resolve) => {
    const listening = portcullis.app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await redis?.quit();
});

beforeEach(async () => {
  ({ context, recorder, page } = await recordedPage(browser, { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true }));
});

afterEach(async () => {
  await context.close();
});

const fitsTheScreen = () => page.evaluate(() => document.documentElement.scrollWidth <= 375 && window.innerWidth === 375);

describe('the /demo relying party', () => {
  it('signs in with a real account, shows the claims, and signs out through the confirmation page back to /demo', async () => {
    await page.goto(`${issuer}/demo`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Portcullis demo');
    await page.getByRole('link', { name: 'Sign in with Portcullis' }).click();

    await signIn(page, 'demo', PASSWORD);
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    expect(await page.locator('.lead').innerText()).toBe('Portcullis demo asks to:');
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/demo/callback');
    const idToken = JSON.parse(await page.getByLabel('ID token claims').innerText()) as Record<string, unknown>;
    expect(idToken).toMatchObject({ iss: issuer, aud: 'portcullis-demo', sub: accountId });
    expect(idToken.nonce).toBeTypeOf('string');
    const userinfo = JSON.parse(await page.getByLabel('UserInfo response').innerText()) as Record<string, unknown>;
    expect(userinfo).toMatchObject({ sub: accountId, name: 'Demo User', email: 'demo@example.com', preferred_username: 'demo' });
    expect(await page.locator('.lead').innerText()).toMatch(/a refresh token and an access token valid for \d+ seconds/);
    expect(await fitsTheScreen()).toBe(true);

    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign out' }).waitFor();
    expect(await page.locator('.lead').innerText()).toBe('Do you want to sign out of Portcullis demo and Portcullis?');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    await page.waitForURL((url) => url.pathname === '/demo');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Portcullis demo');

    // The session really ended: signing in again asks for the password.
    await page.getByRole('link', { name: 'Sign in with Portcullis' }).click();
    await page.getByLabel('Password').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);

    expect(recorder.violations).toEqual([]);
    expect(recorder.errors).toEqual([]);
    expect(recorder.requests.filter((url) => new URL(url).origin !== issuer)).toEqual([]);
  });

  it('answers a callback that does not belong to this browser with a friendly page', async () => {
    const response = await page.goto(`${issuer}/demo/callback?code=stolen&state=guess`);
    expect(response?.status()).toBe(400);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Demo sign-in failed');
    expect(await page.locator('main').innerText()).toContain('Start again at /demo');
  });
});
