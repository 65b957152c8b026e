// Real Chromium for the e2e tests: one browser per test file, a fresh context per test, and a
// recorder that sees what the browser saw (every request, console errors, CSP violations).
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { TEST_CLIENTS } from './portcullis.ts';

/** Debian's Chromium; playwright-core ships no browser of its own. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    // No sandbox: test machines run as root in containers. The rest keeps Chromium from calling
    // home, so "no external requests" in the tests measures our pages, not the browser.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface Recorder {
  /** Every URL the context requested, in order (documents, styles, scripts, form posts). */
  requests: string[];
  /** CSP violations reported by the `securitypolicyviolation` event or the console. */
  violations: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
}

/**
 * Records what a context does. The violation listener is installed by an init script, which
 * DevTools injects outside the page's CSP, and reports through a binding, so recording itself
 * never needs inline script on our pages.
 */
export async function record(context: BrowserContext): Promise<Recorder> {
  const recorder: Recorder = { requests: [], violations: [], errors: [] };
  context.on('request', (request) => recorder.requests.push(request.url()));
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    recorder.errors.push(text);
    if (/Content Security Policy/i.test(text)) recorder.violations.push(text);
  });
  context.on('weberror', (error) => recorder.errors.push(String(error.error())));
  await context.exposeBinding('__portcullisCspViolation', (_source, report: string) => {
    recorder.violations.push(report);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = `${event.violatedDirective} blocked ${event.blockedURI} on ${event.documentURI}`;
      (globalThis as unknown as { __portcullisCspViolation(report: string): void }).__portcullisCspViolation(report);
    });
  });
  return recorder;
}

export interface RecordedPage {
  context: BrowserContext;
  recorder: Recorder;
  page: Page;
}

/** A fresh context (no cookies from earlier tests), recorded from the start, with one page. */
export async function recordedPage(browser: Browser, options?: BrowserContextOptions): Promise<RecordedPage> {
  const context = await browser.newContext(options);
  const recorder = await record(context);
  const page = await context.newPage();
  return { context, recorder, page };
}

export interface Site {
  /** http://localhost:PORT by default: another site than the issuer (http://127.0.0.1:PORT). */
  origin: string;
  /** Every URL requested from this site, in order. */
  hits: URL[];
  close(): Promise<void>;
}

export interface SiteOptions {
  /**
   * Serve as http://127.0.0.1:PORT: the same site as the issuer (ports do not count for SameSite
   * cookies) but another origin. Default false: http://localhost:PORT, a different site.
   */
  sameSite?: boolean;
}

/**
 * A stand-in for another web site (a client's redirect target, an attacker's page). It serves the
 * given files (read per request, so a test may add some after start) and answers every other path
 * with a blank page. Playwright does not route the hops of a redirect chain, so a real server is
 * the only reliable way to see where a redirect lands.
 */
export async function startSite(files: Record<string, { type: string; body: string }> = {}, options: SiteOptions = {}): Promise<Site> {
  const hits: URL[] = [];
  let origin = '';
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    hits.push(url);
    const file = files[url.pathname] ?? { type: 'text/html', body: '<!doctype html><html lang="en"><title>client</title><p>client page</p></html>' };
    response.writeHead(200, { 'content-type': `${file.type}; charset=utf-8` });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://${options.sameSite ? '127.0.0.1' : 'localhost'}:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The test suite's public `spa` client, redirecting to `site` instead of https://spa.example.test. */
export function spaClientOn(site: Site) {
  return {
    client_id: 'spa',
    client_name: 'Shell SPA',
    token_endpoint_auth_method: 'none',
    redirect_uris: [`${site.origin}/callback`],
    post_logout_redirect_uris: [`${site.origin}/signed-out`],
    grant_types: ['authorization_code', 'refresh_token'],
  };
}

/** The test suite's clients, with `spa` redirecting to `site` (see spaClientOn). */
export function testClientsOn(site: Site) {
  return [spaClientOn(site), ...TEST_CLIENTS.filter((c) => c.client_id !== 'spa')];
}

/** Fills the login form by its labels, the way a person (or a screen reader user) finds it. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
