// Shared steps of the conformance suite: a provider on the suite's real Redis with one account,
// authorization requests built by hand (so negative cases can bend any parameter), and raw token
// endpoint calls with each client's own authentication method.
import * as oauth from 'oauth4webapi';
import { expect, inject } from 'vitest';
import { authorize, CookieJar, follow, type Page } from '../../helpers/login.ts';
import {
  SERVICE_SECRET,
  SPA_REDIRECT,
  startPortcullis,
  WEB_REDIRECT,
  WEB_SECRET,
  type RunningPortcullis,
  type StartOptions,
} from '../../helpers/portcullis.ts';

export const USERNAME = 'alice';
export const PASSWORD = 'correct horse battery';

export type TestClientId = 'spa' | 'web' | 'web-post' | 'service';

const REDIRECTS: Record<TestClientId, string> = { spa: SPA_REDIRECT, web: WEB_REDIRECT, 'web-post': WEB_REDIRECT, service: '' };

export interface ConformanceOp extends RunningPortcullis {
  /** `sub` of the test account. */
  sub: string;
}

/** A provider on the suite's Redis (own key prefix) with the account alice. */
export async function startConformanceOp(options: Omit<StartOptions, 'redisUrl'> = {}): Promise<ConformanceOp> {
  const op = await startPortcullis({ redisUrl: inject('redisUrl'), ...options });
  const existing = await op.accounts.findByUsername(USERNAME);
  const account = existing ?? (await op.accounts.create({ username: USERNAME, password: PASSWORD, name: 'Alice Liddell', email: 'alice@example.com' }));
  return Object.assign(op, { sub: account.id });
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export async function pkce(): Promise<Pkce> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
}

export interface AuthorizationRequest {
  client: TestClientId;
  url: URL;
  pkce: Pkce;
  state: string;
  nonce: string;
}

/**
 * An authorization request for `client` with PKCE S256, state and nonce. `params` override or
 * add parameters; a value of `null` removes the default.
 */
export async function authorizationRequest(op: RunningPortcullis, client: TestClientId = 'web', params: Record<string, string | null> = {}): Promise<AuthorizationRequest> {
  const codes = await pkce();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL('/auth', op.issuer);
  const all: Record<string, string | null> = {
    client_id: client,
    redirect_uri: REDIRECTS[client],
    response_type: 'code',
    scope: 'openid',
    state,
    nonce,
    code_challenge: codes.challenge,
    code_challenge_method: 'S256',
    ...params,
  };
  for (const [name, value] of Object.entries(all)) if (value !== null) url.searchParams.set(name, value);
  return { client, url, pkce: codes, state, nonce };
}

export interface CodeResult extends AuthorizationRequest {
  code: string;
  callback: URL;
  jar: CookieJar;
}

/** Runs the request through the real login and consent pages and returns the code. */
export async function obtainCode(
  op: RunningPortcullis,
  client: TestClientId = 'web',
  params: Record<string, string | null> = {},
  options: { jar?: CookieJar; consent?: 'allow' | 'none' } = {},
): Promise<CodeResult> {
  const request = await authorizationRequest(op, client, params);
  const { callback, jar } = await authorize(op.issuer, request.url, { username: USERNAME, password: PASSWORD, ...options });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in ${callback.href}`);
  return { ...request, code, callback, jar };
}

/** Follows an authorization URL with an existing cookie jar and no user action at all. */
export async function silentAuthorize(op: RunningPortcullis, url: URL, jar: CookieJar): Promise<URL> {
  const step = await follow(url, jar, op.issuer);
  if ('redirect' in step) return step.redirect;
  throw new Error(`expected a redirect, got page ${step.url.href} (${step.status}):\n${step.html.slice(0, 400)}`);
}

export { follow, type Page };

/** Body and headers that authenticate `client` the way it is registered. */
export function clientAuthentication(client: TestClientId, secret?: string): { headers: Record<string, string>; body: Record<string, string> } {
  switch (client) {
    case 'spa':
      return { headers: {}, body: { client_id: 'spa' } };
    case 'web-post':
      return { headers: {}, body: { client_id: 'web-post', client_secret: secret ?? WEB_SECRET } };
    case 'web':
    case 'service': {
      const password = secret ?? (client === 'web' ? WEB_SECRET : SERVICE_SECRET);
      return { headers: { authorization: `Basic ${Buffer.from(`${client}:${password}`).toString('base64')}` }, body: {} };
    }
  }
}

/** POSTs a form to an endpoint of the provider as `client`. */
export async function postForm(op: RunningPortcullis, path: string, client: TestClientId | undefined, body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  const auth = client ? clientAuthentication(client) : { headers: {}, body: {} };
  return fetch(new URL(path, op.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...auth.headers, ...headers },
    body: new URLSearchParams({ ...auth.body, ...body }).toString(),
  });
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
}

/** Exchanges a code at the token endpoint (raw HTTP). */
export function exchangeCode(op: RunningPortcullis, result: Pick<CodeResult, 'client' | 'code' | 'pkce'>, extra: Record<string, string> = {}): Promise<Response> {
  return postForm(op, '/token', result.client, {
    grant_type: 'authorization_code',
    code: result.code,
    redirect_uri: REDIRECTS[result.client],
    code_verifier: result.pkce.verifier,
    ...extra,
  });
}

/** Login + code exchange; fails the test unless the token endpoint answers 200. */
export async function obtainTokens(op: RunningPortcullis, client: TestClientId = 'web', params: Record<string, string | null> = {}, options: { jar?: CookieJar } = {}): Promise<TokenResponse & { jar: CookieJar; nonce: string }> {
  const result = await obtainCode(op, client, params, options);
  const response = await exchangeCode(op, result);
  const body = (await response.json()) as TokenResponse;
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
  return { ...body, jar: result.jar, nonce: result.nonce };
}

/** Decodes a JWT's payload without verifying it (verification is asserted separately). */
export function jwtPayload(jwt: string): Record<string, unknown> {
  const [, payload] = jwt.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
}

export function jwtHeader(jwt: string): Record<string, unknown> {
  const [header] = jwt.split('.');
  return JSON.parse(Buffer.from(header ?? '', 'base64url').toString()) as Record<string, unknown>;
}

/** The session-carrying cookie jar of a finished login, for prompt=none and logout. */
export { CookieJar };

/** An OAuth error response body. */
export interface OAuthError {
  error: string;
  error_description?: string;
}

export async function introspect(op: RunningPortcullis, token: string, client: TestClientId = 'web'): Promise<Record<string, unknown>> {
  const response = await postForm(op, '/token/introspection', client, { token });
  if (response.status !== 200) throw new Error(`introspection answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * Asserts the provider answered 400 with a page of its own rather than a redirect (which would hand
 * the error to a redirect target nobody vouched for); returns the page's HTML.
 */
export async function errorPage(response: Response): Promise<string> {
  expect(response.status).toBe(400);
  expect(response.headers.get('location')).toBeNull();
  return response.text();
}

/** No stack trace or internal detail leaks into a body. */
export const STACK_TRACE = /\bat .+\(.+:\d+:\d+\)|node_modules|\/src\/|Error: .*\n\s+at /;
