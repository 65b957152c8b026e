// A provider with the two kinds of admin caller (an automation client and a console people sign in
// to), tokens obtained over real HTTP, and a signer holding the provider's own key for tokens the
// provider would never issue (expired, foreign client).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { inject } from 'vitest';
import { authorize, CookieJar } from '../../helpers/login.ts';
import { generateSigningKey, TEST_CLIENTS } from '../../helpers/portcullis.ts';
import { pkce, startConformanceOp, type ConformanceOp } from '../conformance/support.ts';

export const ADMIN_RESOURCE = 'urn:portcullis:admin';
export const AUTOMATION = { id: 'ops-bot', secret: 'ops-bot-secret-0123456789-0123456789-01234' };
export const CONSOLE = { id: 'admin-console', redirect: 'https://console.example.test/callback' };
export const ROOT = { username: 'root', password: 'root password 0123' };

export const ADMIN_CLIENTS = [
  { client_id: AUTOMATION.id, client_secret: AUTOMATION.secret, token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'], admin: true },
  { client_id: CONSOLE.id, client_name: 'Admin console', token_endpoint_auth_method: 'none', redirect_uris: [CONSOLE.redirect], grant_types: ['authorization_code'], admin: true },
];

/** Anything that knows where the provider listens. */
export interface HasIssuer {
  issuer: string;
}

export interface AdminOp extends ConformanceOp {
  /** The provider's private signing key (it reads it from a JWKS file). */
  signingKey: JWK;
  rootId: string;
}

export async function startAdminOp(overrides: Record<string, unknown> = {}): Promise<AdminOp> {
  const signingKey = await generateSigningKey('ES256');
  const jwksFile = join(mkdtempSync(join(tmpdir(), 'portcullis-admin-')), 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [signingKey] }));
  const op = await startConformanceOp({ jwksFile, overrides: { clients: [...TEST_CLIENTS, ...ADMIN_CLIENTS], ...overrides } });
  const root = (await op.accounts.findByUsername(ROOT.username)) ?? (await op.accounts.create({ ...ROOT, admin: true }));
  return Object.assign(op, { signingKey, rootId: root.id });
}

export { inject };

/** client_credentials at the token endpoint; returns the raw response. */
export async function clientCredentials(op: HasIssuer, client: { id: string; secret: string }, params: Record<string, string>): Promise<Response> {
  return fetch(new URL('/token', op.issuer), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params }).toString(),
  });
}

/** An admin token for the automation client. */
export async function automationToken(op: HasIssuer): Promise<string> {
  const response = await clientCredentials(op, AUTOMATION, { resource: ADMIN_RESOURCE, scope: 'admin' });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`no admin token: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A person signs in to the admin console (code + PKCE) and gets a token for the admin resource. */
export async function consoleToken(op: HasIssuer, username: string, password: string): Promise<string> {
  const codes = await pkce();
  const url = new URL('/auth', op.issuer);
  for (const [name, value] of Object.entries({
    client_id: CONSOLE.id,
    redirect_uri: CONSOLE.redirect,
    response_type: 'code',
    scope: 'openid admin',
    resource: ADMIN_RESOURCE,
    code_challenge: codes.challenge,
    code_challenge_method: 'S256',
    state: 'console',
  })) {
    url.searchParams.set(name, value);
  }
  const { callback } = await authorize(op.issuer, url, { username, password, jar: new CookieJar() });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.href}`);
  const response = await fetch(new URL('/token', op.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CONSOLE.redirect, code_verifier: codes.verifier, client_id: CONSOLE.id, resource: ADMIN_RESOURCE }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`no console token: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Signs an access token with the provider's own key: claims the provider would not issue itself. */
export async function signWithProviderKey(op: AdminOp, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const key = await importJWK(op.signingKey, 'ES256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: op.issuer, aud: ADMIN_RESOURCE, iat: now, exp: now + 300, jti: `t-${now}-${Math.random().toString(36).slice(2)}`, sub: AUTOMATION.id, client_id: AUTOMATION.id, scope: 'admin', ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: op.signingKey.kid as string, ...header })
    .sign(key);
}

export interface AdminResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls the admin API. `body` is sent as JSON. */
export async function admin<T = Record<string, unknown>>(op: HasIssuer, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<AdminResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(new URL(`/admin/v1${path}`, op.issuer), {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
}
