// The login and consent pages: strict security headers, no inline script, answers that do not
// reveal which accounts exist, throttling per account and per client IP, and CSRF protection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, formFields, submit } from '../../helpers/login.ts';
import { authorizationRequest, follow, PASSWORD, startConformanceOp, USERNAME, type ConformanceOp, type Page } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
  await op.accounts.create({ username: 'mallory', password: 'mallory-password' });
  await op.accounts.setDisabled('mallory', true);
});

afterAll(async () => {
  await op.close();
});

interface LoginPage extends Page {
  jar: CookieJar;
}

async function loginPage(target: ConformanceOp = op, params: Record<string, string> = {}): Promise<LoginPage> {
  const jar = new CookieJar();
  const { url } = await authorizationRequest(target, 'web', params);
  const page = await follow(url, jar, target.issuer);
  if (!('html' in page) || !page.html.includes('name="password"')) throw new Error('expected the login page');
  return { ...page, jar };
}

/** POSTs the login form of `page` with raw control over every header and field. */
async function postLogin(page: LoginPage, fields: Record<string, string>, headers: Record<string, string> = {}, issuer = op.issuer): Promise<Response> {
  const { action } = formFields(page.html);
  return fetch(new URL(action, page.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: page.jar.header(), origin: issuer, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

function login(page: LoginPage, username: string, password: string, issuer = op.issuer): Promise<Response> {
  return postLogin(page, { csrf: formFields(page.html).csrf, username, password }, {}, issuer);
}

function expectStrictHeaders(response: Response): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  const scripts = directives.get('script-src') ?? directives.get('default-src') ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) expect(scripts).not.toContain(unsafe);
  expect(directives.get('default-src')).toEqual(["'none'"]);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

function expectNoInlineScript(html: string): void {
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/javascript:/i);
}

describe('security headers', () => {
  it('the login page: CSP without inline script, frame-ancestors none, no-store', async () => {
    const { url } = await authorizationRequest(op, 'web');
    const jar = new CookieJar();
    const first = await fetch(url, { redirect: 'manual' });
    jar.store(first);
    const response = await fetch(new URL(first.headers.get('location') as string, op.issuer), { headers: { cookie: jar.header() } });
    expect(response.status).toBe(200);
    expectStrictHeaders(response);
    expectNoInlineScript(await response.text());
  });

  it('the consent page and the error pages too', async () => {
    const page = await loginPage();
    const afterLogin = await submit(op.issuer, page, { username: USERNAME, password: PASSWORD }, page.jar);
    expect('html' in afterLogin && afterLogin.html).toContain('name="decision"');
    const consent = await fetch((afterLogin as Page).url, { headers: { cookie: page.jar.header() } });
    expectStrictHeaders(consent);
    expectNoInlineScript(await consent.text());

    const error = await fetch(`${op.issuer}/auth?client_id=web&redirect_uri=https%3A%2F%2Fevil.example.test`, { headers: { accept: 'text/html' } });
    expect(error.status).toBe(400);
    expectStrictHeaders(error);
    expectNoInlineScript(await error.text());
  });
});

describe('failed logins', () => {
  it('answer unknown users, wrong passwords and disabled accounts alike', async () => {
    const page = await loginPage();
    const answers = [];
    for (const [username, password] of [['nobody-here', PASSWORD], [USERNAME, 'wrong password'], ['mallory', 'mallory-password']] as const) {
      const response = await login(page, username, password);
      // The page echoes the typed username back into the form; everything else must match.
      answers.push({ status: response.status, html: (await response.text()).replaceAll(`value="${username}"`, 'value="…"') });
    }
    expect(answers[0]?.status).toBe(400);
    expect(answers[0]?.html).toContain('Wrong username or password.');
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });
});

describe('login throttling', () => {
  it('locks an account after 5 failures with 429 and Retry-After, even for the right password', async () => {
    await op.accounts.create({ username: 'bob', password: 'bob-password' });
    const page = await loginPage();
    for (let attempt = 1; attempt <= 5; attempt += 1) expect((await login(page, 'bob', 'wrong')).status).toBe(400);
    const locked = await login(page, 'bob', 'bob-password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.text()).toContain('Too many attempts');
    // Per account: the same address can still sign in as someone else.
    const other = await login(page, USERNAME, PASSWORD);
    expect(other.status).toBe(303);
  });

  it('counts the account case-insensitively and clears the count on success', async () => {
    await op.accounts.create({ username: 'carol', password: 'carol-password' });
    const page = await loginPage();
    for (let attempt = 1; attempt <= 4; attempt += 1) expect((await login(page, attempt % 2 ? 'Carol' : 'CAROL', 'wrong')).status).toBe(400);
    expect((await login(page, 'carol', 'carol-password')).status).toBe(303);
    const again = await loginPage();
    for (let attempt = 1; attempt <= 4; attempt += 1) expect((await login(again, 'carol', 'wrong')).status).toBe(400);
    expect((await login(again, 'carol', 'carol-password')).status).toBe(303);
  });

  it('locks a client IP after its limit of failures across accounts', async () => {
    const strict = await startConformanceOp({ overrides: { loginRateLimit: { perAccount: { points: 100, durationSeconds: 900 }, perIp: { points: 3, durationSeconds: 900 } } } });
    try {
      const page = await loginPage(strict);
      for (const username of ['u1', 'u2', 'u3']) expect((await login(page, username, 'wrong', strict.issuer)).status).toBe(400);
      const locked = await login(page, USERNAME, PASSWORD, strict.issuer);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });
});

describe('CSRF', () => {
  it.each([
    ['without a csrf token', (_csrf: string) => ({ fields: { username: USERNAME, password: PASSWORD }, headers: {} })],
    ['with a wrong csrf token', (csrf: string) => ({ fields: { csrf: `${csrf.slice(0, -2)}xx`, username: USERNAME, password: PASSWORD }, headers: {} })],
    ['with another interaction’s token', () => ({ fields: { csrf: 'x'.repeat(43), username: USERNAME, password: PASSWORD }, headers: {} })],
    ['from a foreign Origin', (csrf: string) => ({ fields: { csrf, username: USERNAME, password: PASSWORD }, headers: { origin: 'https://evil.example.test' } })],
    ['marked cross-site by the browser', (csrf: string) => ({ fields: { csrf, username: USERNAME, password: PASSWORD }, headers: { 'sec-fetch-site': 'cross-site' } })],
  ])('refuses a login post %s with 403', async (_case, build) => {
    const page = await loginPage();
    const { fields, headers } = build(formFields(page.html).csrf);
    const response = await postLogin(page, fields, headers);
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('csrf_check_failed');
    // The genuine form still works afterwards.
    expect((await login(page, USERNAME, PASSWORD)).status).toBe(303);
  });

  it('refuses a consent post without the csrf token', async () => {
    const page = await loginPage(op, { scope: 'openid email', prompt: 'consent' });
    const consent = await submit(op.issuer, page, { username: USERNAME, password: PASSWORD }, page.jar);
    expect('html' in consent && consent.html).toContain('name="decision"');
    const { action } = formFields((consent as Page).html);
    const response = await fetch(new URL(action, op.issuer), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: page.jar.header(), origin: op.issuer },
      body: 'decision=allow',
    });
    expect(response.status).toBe(403);
  });
});
