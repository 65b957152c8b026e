// Redirect URIs match exactly (RFC 9700 §4.1.3): anything else gets a friendly error page from the
// provider itself, never a redirect that would hand an error (or worse, a code) to a stranger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPA_REDIRECT, WEB_REDIRECT } from '../../helpers/portcullis.ts';
import { authorizationRequest, errorPage, STACK_TRACE, startConformanceOp, type ConformanceOp, type TestClientId } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

const NOT_REGISTERED: [string, TestClientId, string][] = [
  ['a foreign site', 'web', 'https://attacker.example.test/callback'],
  ['another client’s URI', 'web', SPA_REDIRECT],
  ['a trailing slash', 'web', `${WEB_REDIRECT}/`],
  ['an extra query parameter', 'web', `${WEB_REDIRECT}?next=/admin`],
  ['a fragment', 'spa', `${SPA_REDIRECT}#x`],
  ['a longer path', 'spa', `${SPA_REDIRECT}/deeper`],
  ['a different scheme', 'spa', SPA_REDIRECT.replace('https:', 'http:')],
  ['an explicit port', 'spa', SPA_REDIRECT.replace('.test/', '.test:8443/')],
  ['a different case in the path', 'spa', SPA_REDIRECT.replace('/callback', '/Callback')],
  ['a sub-domain', 'spa', SPA_REDIRECT.replace('https://', 'https://evil.')],
];

describe('redirect_uri', () => {
  it.each(NOT_REGISTERED)('answers %s with a 400 HTML error page and no redirect', async (_case, client, redirectUri) => {
    const { url } = await authorizationRequest(op, client, { redirect_uri: redirectUri });
    const response = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
    const html = await errorPage(response);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('has not registered');
    expect(html).toContain('invalid_redirect_uri');
    expect(html).not.toContain(redirectUri);
    expect(html).not.toMatch(STACK_TRACE);
  });

  it('answers a missing client_id with a friendly page, not a redirect', async () => {
    const { url } = await authorizationRequest(op, 'web', { client_id: null });
    const response = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
    const html = await errorPage(response);
    expect(html).toContain('invalid_request');
    expect(html).not.toMatch(STACK_TRACE);
  });

  it('answers an unknown client with a friendly page, not a redirect', async () => {
    const { url } = await authorizationRequest(op, 'web', { client_id: 'nobody' });
    const response = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
    const html = await errorPage(response);
    expect(html).toContain('not known to Portcullis');
    expect(html).toContain('invalid_client');
  });

  it('redirects to the exact registered URI', async () => {
    const { url } = await authorizationRequest(op, 'spa');
    const response = await fetch(url, { redirect: 'manual' });
    // To the login interaction: the request itself was accepted.
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location') as string, op.issuer).pathname).toMatch(/^\/interaction\//);
  });
});
