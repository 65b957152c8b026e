// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): a confirmation page, then the
// session ends and the browser returns to the registered post_logout_redirect_uri with its state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CookieJar } from '../../helpers/login.ts';
import { authorizationRequest, errorPage, follow, obtainTokens, silentAuthorize, STACK_TRACE, startConformanceOp, type ConformanceOp } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

const WEB_LOGGED_OUT = 'https://web.example.test/';

function endSessionUrl(params: Record<string, string>): URL {
  const url = new URL('/session/end', op.issuer);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/** The confirmation page's form: oidc-provider's action and xsrf token. */
function logoutForm(html: string): { action: string; xsrf: string } {
  const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !xsrf) throw new Error(`no logout form on page:\n${html.slice(0, 600)}`);
  return { action, xsrf };
}

async function confirm(html: string, jar: CookieJar, signOut: boolean) {
  const { action, xsrf } = logoutForm(html);
  return follow(action, jar, op.issuer, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: op.issuer },
    body: new URLSearchParams({ xsrf, ...(signOut ? { logout: 'yes' } : {}) }).toString(),
  });
}

async function promptNone(jar: CookieJar): Promise<URL> {
  const request = await authorizationRequest(op, 'web', { prompt: 'none' });
  return silentAuthorize(op, request.url, jar);
}

describe('RP-initiated logout', () => {
  it('confirms, ends the session and returns to the registered post_logout_redirect_uri with state', async () => {
    const tokens = await obtainTokens(op, 'web');
    expect((await promptNone(tokens.jar)).searchParams.get('code')).toBeTypeOf('string');

    const page = await follow(endSessionUrl({ id_token_hint: tokens.id_token as string, post_logout_redirect_uri: WEB_LOGGED_OUT, state: 'bye-1' }), tokens.jar, op.issuer);
    expect('html' in page && page.status).toBe(200);
    const html = 'html' in page ? page.html : '';
    expect(html).toContain('Do you want to sign out');
    expect(html).toContain('Web App');

    const done = await confirm(html, tokens.jar, true);
    expect('redirect' in done).toBe(true);
    const target = 'redirect' in done ? done.redirect : new URL('about:blank');
    expect(`${target.origin}${target.pathname}`).toBe(WEB_LOGGED_OUT);
    expect(target.searchParams.get('state')).toBe('bye-1');

    const after = await promptNone(tokens.jar);
    expect(after.searchParams.get('error')).toBe('login_required');
  });

  it('the second button signs out of the application only: its grant ends, the Portcullis session stays', async () => {
    const tokens = await obtainTokens(op, 'web');
    const page = await follow(endSessionUrl({ id_token_hint: tokens.id_token as string, post_logout_redirect_uri: WEB_LOGGED_OUT }), tokens.jar, op.issuer);
    await confirm('html' in page ? page.html : '', tokens.jar, false);
    // oidc-provider revokes this client's grant and forgets it in the session...
    expect((await promptNone(tokens.jar)).searchParams.get('error')).toBe('consent_required');
    expect((await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
    // ...but the user is still signed in at Portcullis: no password, only consent again.
    const again = await follow((await authorizationRequest(op, 'web')).url, tokens.jar, op.issuer);
    const html = 'html' in again ? again.html : '';
    expect(html).toContain('name="decision"');
    expect(html).not.toContain('name="password"');
  });

  it('without post_logout_redirect_uri ends on Portcullis’ own signed-out page', async () => {
    const tokens = await obtainTokens(op, 'web');
    const page = await follow(endSessionUrl({ id_token_hint: tokens.id_token as string }), tokens.jar, op.issuer);
    const done = await confirm('html' in page ? page.html : '', tokens.jar, true);
    expect('html' in done && done.status).toBe(200);
    expect('html' in done ? done.html : '').toContain('You are signed out. You can close this window.');
    expect((await promptNone(tokens.jar)).searchParams.get('error')).toBe('login_required');
  });

  it('signing out of the application only says so on Portcullis’ page, and the session stays', async () => {
    const tokens = await obtainTokens(op, 'web');
    const page = await follow(endSessionUrl({ id_token_hint: tokens.id_token as string }), tokens.jar, op.issuer);
    const done = await confirm('html' in page ? page.html : '', tokens.jar, false);
    const html = 'html' in done ? done.html : '';
    expect(html).toContain('You are signed out of Web App. You are still signed in to Portcullis');
    expect(html).not.toContain('You can close this window');
    expect((await promptNone(tokens.jar)).searchParams.get('error')).toBe('consent_required');
  });

  it.each([
    ['an unregistered URI', 'https://attacker.example.test/'],
    ['another client’s URI', 'https://spa.example.test/'],
    ['a near miss', `${WEB_LOGGED_OUT}?x=1`],
  ])('rejects %s as post_logout_redirect_uri with an error page, no redirect', async (_case, uri) => {
    const tokens = await obtainTokens(op, 'web');
    const response = await fetch(endSessionUrl({ id_token_hint: tokens.id_token as string, post_logout_redirect_uri: uri }), {
      redirect: 'manual',
      headers: { cookie: tokens.jar.header(), accept: 'text/html' },
    });
    const html = await errorPage(response);
    expect(html).toContain('invalid_request');
    expect(html).not.toMatch(STACK_TRACE);
    // Nothing was ended.
    expect((await promptNone(tokens.jar)).searchParams.get('code')).toBeTypeOf('string');
  });

  it('rejects an id_token_hint that is not one of ours', async () => {
    const tokens = await obtainTokens(op, 'web');
    const [header, payload] = (tokens.id_token as string).split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    const response = await fetch(endSessionUrl({ id_token_hint: forged, post_logout_redirect_uri: WEB_LOGGED_OUT }), { redirect: 'manual', headers: { accept: 'text/html' } });
    await errorPage(response);
  });

  it('refuses a confirmation without the xsrf token of the session', async () => {
    const tokens = await obtainTokens(op, 'web');
    const page = await follow(endSessionUrl({ id_token_hint: tokens.id_token as string }), tokens.jar, op.issuer);
    const { action } = logoutForm('html' in page ? page.html : '');
    const forged = await follow(action, tokens.jar, op.issuer, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'xsrf=forged&logout=yes',
    });
    expect('html' in forged && forged.status).toBe(400);
    expect((await promptNone(tokens.jar)).searchParams.get('code')).toBeTypeOf('string');
  });
});
