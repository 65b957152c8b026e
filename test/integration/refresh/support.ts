// Shared steps of the refresh-rotation suite: a provider on the suite's real Redis with extra
// public clients whose refresh policy is short enough to observe, a login through the real forms,
// and raw token-endpoint calls (optionally with a DPoP proof made with jose).
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import * as oauth from 'oauth4webapi';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { pino } from 'pino';
import { authorize } from '../../helpers/login.ts';
import { API, SPA_REDIRECT, startPortcullis, TEST_CLIENTS, WEB_REDIRECT, WEB_SECRET, type RunningPortcullis, type StartOptions } from '../../helpers/portcullis.ts';

export const USERNAME = 'alice';
export const PASSWORD = 'correct horse battery';

const spa = TEST_CLIENTS.find((client) => client.client_id === 'spa');

/** Public clients with observable policies; everything else as `spa`. */
export const POLICY_CLIENTS = {
  'spa-grace1': { graceSeconds: 1 },
  'spa-absolute': { absoluteLifetimeSeconds: 3 },
  'spa-idle': { idleTimeoutSeconds: 3 },
} as const;

/** A confidential client that keeps its refresh token (no rotation). */
export const KEEPING_CLIENT = 'web-keep';

export type ClientId = 'spa' | 'web' | typeof KEEPING_CLIENT | keyof typeof POLICY_CLIENTS;

export function refreshTestClients(): unknown[] {
  return [
    ...TEST_CLIENTS,
    ...Object.entries(POLICY_CLIENTS).map(([clientId, refresh]) => ({ ...spa, client_id: clientId, refresh })),
    {
      client_id: KEEPING_CLIENT,
      client_secret: WEB_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [WEB_REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      refresh: { rotate: false, idleTimeoutSeconds: 3 },
    },
  ];
}

/** A provider with the refresh test clients and the account alice (created unless `noAccount`). */
export async function startRefreshOp(redisUrl: string, options: Omit<StartOptions, 'redisUrl'> & { noAccount?: boolean } = {}): Promise<RunningPortcullis> {
  const { noAccount, ...start } = options;
  const op = await startPortcullis({ redisUrl, ...start, overrides: { clients: refreshTestClients(), ...start.overrides } });
  if (!noAccount) await op.accounts.create({ username: USERNAME, password: PASSWORD, name: 'Alice Liddell', email: 'alice@example.com' });
  return op;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
  error?: string;
  error_description?: string;
}

export interface DpopKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
  thumbprint: string;
}

export async function dpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  return { privateKey, publicKey, jwk, thumbprint: await calculateJwkThumbprint(jwk) };
}

/** A fresh RFC 9449 proof for POST to the token endpoint. */
export async function dpopProof(op: RunningPortcullis, key: DpopKey): Promise<string> {
  return new SignJWT({ htm: 'POST', htu: `${op.issuer}/token`, jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk })
    .setIssuedAt()
    .sign(key.privateKey);
}

function clientHeaders(clientId: ClientId): Record<string, string> {
  if (clientId !== 'web' && clientId !== KEEPING_CLIENT) return {};
  return { authorization: `Basic ${Buffer.from(`${clientId}:${WEB_SECRET}`).toString('base64')}` };
}

export async function tokenRequest(op: RunningPortcullis, clientId: ClientId, params: Record<string, string>, dpop?: DpopKey): Promise<{ status: number; body: TokenResponse }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...clientHeaders(clientId) };
  if (dpop) headers.dpop = await dpopProof(op, dpop);
  const form = new URLSearchParams(params);
  if (!headers.authorization) form.set('client_id', clientId);
  const response = await fetch(`${op.issuer}/token`, { method: 'POST', headers, body: form });
  return { status: response.status, body: (await response.json()) as TokenResponse };
}

export function refresh(op: RunningPortcullis, clientId: ClientId, refreshToken: string, options: { dpop?: DpopKey; params?: Record<string, string> } = {}) {
  return tokenRequest(op, clientId, { grant_type: 'refresh_token', refresh_token: refreshToken, ...options.params }, options.dpop);
}

/**
 * Logs alice in through the real forms and exchanges the code. Default ask: openid,
 * offline_access and orders:read for the API (RFC 9068 JWT access tokens).
 */
export async function login(op: RunningPortcullis, clientId: ClientId = 'spa', options: { dpop?: DpopKey; scope?: string; resource?: string | null } = {}): Promise<TokenResponse> {
  const verifier = oauth.generateRandomCodeVerifier();
  const redirectUri = clientId === 'web' || clientId === KEEPING_CLIENT ? WEB_REDIRECT : SPA_REDIRECT;
  const url = new URL('/auth', op.issuer);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: options.scope ?? 'openid offline_access orders:read',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    prompt: 'consent',
    ...(options.resource === null ? {} : { resource: options.resource ?? API }),
  }).toString();
  const { callback } = await authorize(op.issuer, url, { username: USERNAME, password: PASSWORD });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.href}`);
  const { status, body } = await tokenRequest(op, clientId, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, options.dpop);
  if (status !== 200 || !body.refresh_token) throw new Error(`code exchange failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** RFC 7662 introspection by the confidential client `web`. */
export async function introspect(op: RunningPortcullis, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${op.issuer}/token/introspection`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...clientHeaders('web') },
    body: new URLSearchParams({ token }),
  });
  return (await response.json()) as Record<string, unknown>;
}

export function jwtClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A provider like startRefreshOp's whose log lines (pino JSON, level info) are collected. */
export async function startLoggedOp(redisUrl: string): Promise<RunningPortcullis & { logLines: Record<string, unknown>[] }> {
  const logLines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const op = await startRefreshOp(redisUrl, { logger: pino({ level: 'info' }, destination) });
  return Object.assign(op, { logLines });
}
