// Bad input gets the standard OAuth error JSON (RFC 6749 §5.2) or a friendly page with a 4xx:
// never a 500, never a stack trace, never an empty shrug.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_SECRET } from '../../helpers/portcullis.ts';
import { errorPage, STACK_TRACE, startConformanceOp, type ConformanceOp, type OAuthError } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

const BASIC = `Basic ${Buffer.from(`web:${WEB_SECRET}`).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';

async function expectOAuthError(response: Response, status: number, error: string, description?: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  expect(text).not.toMatch(STACK_TRACE);
  const body = JSON.parse(text) as OAuthError;
  expect(body.error).toBe(error);
  expect(body.error_description).toBeTypeOf('string');
  if (description) expect(body.error_description).toBe(description);
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
}

function post(path: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${op.issuer}${path}`, { method: 'POST', headers: { authorization: BASIC, ...headers }, body });
}

describe('token endpoint', () => {
  it.each([
    ['a garbage body', '%%%garbage&&==%ZZ', FORM, 'invalid_request', "missing required parameter 'grant_type'"],
    ['an empty body', '', FORM, 'invalid_request', "missing required parameter 'grant_type'"],
    ['a JSON body', '{"grant_type":"client_credentials"}', 'application/json', 'invalid_request', 'only application/x-www-form-urlencoded content-type bodies are supported on POST /token'],
    ['a text/plain body', 'grant_type=client_credentials', 'text/plain', 'invalid_request', 'only application/x-www-form-urlencoded content-type bodies are supported on POST /token'],
    ['a multipart body', '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--', 'multipart/form-data; boundary=x', 'invalid_request', 'only application/x-www-form-urlencoded content-type bodies are supported on POST /token'],
    ['a huge parameter', `grant_type=authorization_code&code=${'a'.repeat(2_000_000)}`, FORM, 'invalid_request', 'failed to parse the request body'],
    ['an unsupported grant_type', 'grant_type=password&username=a&password=b', FORM, 'unsupported_grant_type', 'unsupported grant_type requested'],
    ['an implicit grant_type', 'grant_type=implicit', FORM, 'unsupported_grant_type', 'unsupported grant_type requested'],
    ['a missing code', 'grant_type=authorization_code', FORM, 'invalid_request', "missing required parameter 'code'"],
    ['a missing refresh_token', 'grant_type=refresh_token', FORM, 'invalid_request', "missing required parameter 'refresh_token'"],
    ['a duplicated parameter', 'grant_type=authorization_code&grant_type=refresh_token', FORM, 'invalid_request', "'grant_type' parameter must not be provided twice"],
    ['an unknown code', `grant_type=authorization_code&code=${'x'.repeat(43)}&redirect_uri=https%3A%2F%2Fweb.example.test%2Fcallback&code_verifier=${'v'.repeat(43)}`, FORM, 'invalid_grant', 'grant request is invalid'],
  ])('answers %s with 400 and the OAuth error', async (_case, body, contentType, error, description) => {
    await expectOAuthError(await post('/token', body, { 'content-type': contentType }), 400, error, description);
  });

  it('answers a body that is not UTF-8 with an OAuth error', async () => {
    const response = await post('/token', Buffer.from([...Buffer.from('grant_type='), 0xff, 0xfe, 0xfd]), { 'content-type': FORM });
    await expectOAuthError(response, 400, 'unsupported_grant_type');
  });

  it('answers a malformed Basic header with 400 invalid_request', async () => {
    const response = await fetch(`${op.issuer}/token`, { method: 'POST', headers: { 'content-type': FORM, authorization: 'Basic %%%' }, body: 'grant_type=client_credentials' });
    await expectOAuthError(response, 400, 'invalid_request', 'invalid authorization header value format');
  });

  it('answers two authentication methods at once with 400 invalid_request', async () => {
    const response = await post('/token', `grant_type=client_credentials&client_id=web&client_secret=${WEB_SECRET}`, { 'content-type': FORM });
    await expectOAuthError(response, 400, 'invalid_request', 'client authentication must only be provided using one mechanism');
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405, Allow: POST and an OAuth error', async (method) => {
    const response = await fetch(`${op.issuer}/token?grant_type=client_credentials`, { method, headers: { authorization: BASIC } });
    expect(response.headers.get('allow')).toBe('POST');
    await expectOAuthError(response, 405, 'invalid_request');
  });
});

describe('revocation and introspection endpoints', () => {
  it.each(['/token/revocation', '/token/introspection'])('%s answers GET with 405 and wrong content types with 400', async (path) => {
    const get = await fetch(`${op.issuer}${path}?token=x`, { headers: { authorization: BASIC } });
    expect(get.headers.get('allow')).toBe('POST');
    await expectOAuthError(get, 405, 'invalid_request');
    await expectOAuthError(await post(path, '{', { 'content-type': 'application/json' }), 400, 'invalid_request');
    await expectOAuthError(await post(path, '', { 'content-type': FORM }), 400, 'invalid_request', "missing required parameter 'token'");
  });
});

describe('userinfo endpoint', () => {
  it.each(['Bearer', 'Bearer a b c', 'Basic abc', 'garbage'])('answers Authorization "%s" with a 4xx OAuth error', async (header) => {
    const response = await fetch(`${op.issuer}/me`, { headers: { authorization: header } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as OAuthError;
    expect(body.error).toMatch(/^(invalid_request|invalid_token)$/);
  });
});

describe('authorization endpoint', () => {
  it.each([
    ['a garbage query', '/auth?%%%&&=='],
    ['no parameters', '/auth'],
    ['an unsupported response_type', '/auth?client_id=web&response_type=token&redirect_uri=https%3A%2F%2Fevil.example.test%2F&scope=openid'],
    ['a missing response_type for an unknown client', '/auth?client_id=nobody'],
  ])('answers %s with a friendly 400 page', async (_case, path) => {
    const response = await fetch(`${op.issuer}${path}`, { redirect: 'manual', headers: { accept: 'text/html' } });
    const html = await errorPage(response);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('Error code:');
    expect(html).not.toMatch(STACK_TRACE);
  });

  it('answers a duplicated parameter with invalid_request at the valid redirect_uri', async () => {
    const response = await fetch(`${op.issuer}/auth?client_id=web&response_type=code&redirect_uri=https%3A%2F%2Fweb.example.test%2Fcallback&scope=openid&scope=profile&state=s`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toBe("'scope' parameter must not be provided twice");
  });

  it('answers a URL too large for the server with 431, not a 500', async () => {
    const response = await fetch(`${op.issuer}/auth?state=${'a'.repeat(64 * 1024)}`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(431);
  });
});

describe('interaction and logout pages', () => {
  it.each([
    ['an unknown interaction', 'GET', '/interaction/unknown', undefined, undefined, 400],
    ['a login post without an interaction', 'POST', '/interaction/unknown/login', 'username=a&password=b', FORM, 400],
    ['a login post with a JSON body', 'POST', '/interaction/unknown/login', '{{{', 'application/json', 400],
    ['a huge login post', 'POST', '/interaction/unknown/login', `username=${'a'.repeat(100_000)}`, FORM, 413],
    ['a forged logout confirmation', 'POST', '/session/end/confirm', 'xsrf=x&logout=yes', FORM, 400],
    ['a garbage id_token_hint', 'GET', '/session/end?id_token_hint=garbage', undefined, undefined, 400],
    ['a path nobody serves', 'GET', '/no/such/page', undefined, undefined, 404],
  ] as const)('answer %s with a friendly 4xx page', async (_case, method, path, body, contentType, status) => {
    const response = await fetch(`${op.issuer}${path}`, {
      method,
      redirect: 'manual',
      headers: { accept: 'text/html', ...(contentType ? { 'content-type': contentType } : {}) },
      ...(body === undefined ? {} : { body }),
    });
    expect([status, response.status]).toEqual([status, status]);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<main');
    expect(html).not.toMatch(STACK_TRACE);
    expect(html).not.toContain('Internal Server Error');
  });
});

describe('unknown endpoints', () => {
  it('answer programs with a JSON 404', async () => {
    const response = await fetch(`${op.issuer}/no/such/endpoint`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found', error_description: 'no such endpoint' });
  });
});
