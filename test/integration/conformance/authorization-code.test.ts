// Authorization Code flow (OpenID Connect Core §3.1, RFC 6749 §4.1, RFC 9207, RFC 9700): the
// authorization response, the code itself, its single use, the token response and the ID token.
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_REDIRECT, WEB_SECRET } from '../../helpers/portcullis.ts';
import {
  exchangeCode,
  introspect,
  jwtPayload,
  obtainCode,
  postForm,
  startConformanceOp,
  type ConformanceOp,
  type OAuthError,
  type TokenResponse,
} from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

// Claims an ID token may carry for scope=openid without any claims request (Core §2, §3.1.3.6).
const PROTOCOL_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'c_hash', 'sid', 'acr', 'amr', 'azp']);

describe('authorization response', () => {
  it('returns the state unchanged and the issuer (RFC 9207) to the registered redirect_uri', async () => {
    const result = await obtainCode(op, 'web');
    expect(`${result.callback.origin}${result.callback.pathname}`).toBe(WEB_REDIRECT);
    expect(result.callback.searchParams.get('state')).toBe(result.state);
    expect(result.callback.searchParams.get('iss')).toBe(op.issuer);

    // oauth4webapi rejects a response whose iss or state differs from what it expects.
    const as = { issuer: op.issuer, authorization_response_iss_parameter_supported: true } as oauth.AuthorizationServer;
    const params = oauth.validateAuthResponse(as, { client_id: 'web' }, result.callback, result.state);
    expect(params.get('code')).toBe(result.code);
    expect(() => oauth.validateAuthResponse(as, { client_id: 'web' }, result.callback, 'another-state')).toThrow();
  });

  it('issues unguessable codes of at least 128 bits, different on every login', async () => {
    const first = await obtainCode(op, 'web');
    const second = await obtainCode(op, 'web');
    for (const { code } of [first, second]) {
      expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
      // base64url carries 6 bits per character.
      expect(code.length * 6).toBeGreaterThanOrEqual(128);
    }
    expect(first.code).not.toBe(second.code);
  });
});

describe('code exchange', () => {
  it('answers 200 JSON with Cache-Control: no-store, token_type and expires_in', async () => {
    const result = await obtainCode(op, 'web');
    const response = await exchangeCode(op, result);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as TokenResponse;
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThan(0);
    expect(body.expires_in).toBeLessThanOrEqual(300);
    expect(body.access_token).toBeTypeOf('string');
    expect(body.id_token).toBeTypeOf('string');
    expect(body.scope).toBe('openid');
  });

  it('refuses a replayed code with 400 invalid_grant and revokes the tokens issued from it', async () => {
    const result = await obtainCode(op, 'web', { scope: 'openid offline_access', prompt: 'consent' });
    const first = await exchangeCode(op, result);
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as TokenResponse;
    expect(tokens.refresh_token).toBeTypeOf('string');
    expect(await introspect(op, tokens.access_token)).toMatchObject({ active: true });

    const replay = await exchangeCode(op, result);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as OAuthError).error).toBe('invalid_grant');

    expect(await introspect(op, tokens.access_token)).toEqual({ active: false });
    expect(await introspect(op, tokens.refresh_token as string)).toEqual({ active: false });
    const refresh = await postForm(op, '/token', 'web', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string });
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as OAuthError).error).toBe('invalid_grant');
    const userinfo = await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(401);
  });

  it('refuses a code presented by another client', async () => {
    const result = await obtainCode(op, 'web');
    const response = await exchangeCode(op, { ...result, client: 'web-post' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_grant');
  });

  it('refuses a code exchanged with a redirect_uri other than the one it was issued for', async () => {
    const result = await obtainCode(op, 'web');
    const response = await exchangeCode(op, result, { redirect_uri: `${WEB_REDIRECT}/other` });
    expect(response.status).toBe(400);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_grant');
  });
});

describe('ID token', () => {
  it('carries iss, aud, sane exp/iat/auth_time, the nonce, sub and a correct at_hash, and verifies', async () => {
    const before = Math.floor(Date.now() / 1000);
    const result = await obtainCode(op, 'web');
    const tokens = (await (await exchangeCode(op, result)).json()) as TokenResponse;
    const after = Math.ceil(Date.now() / 1000);

    const jwks = createRemoteJWKSet(new URL(`${op.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token as string, jwks, { issuer: op.issuer, audience: 'web', algorithms: ['ES256'] });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.iss).toBe(op.issuer);
    expect([payload.aud].flat()).toContain('web');
    expect(payload.sub).toBe(op.sub);
    expect(payload.nonce).toBe(result.nonce);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(after);
    expect(payload.exp).toBe((payload.iat as number) + 3600);
    expect(payload.auth_time).toBeGreaterThanOrEqual(before);
    expect(payload.auth_time).toBeLessThanOrEqual(payload.iat as number);

    // at_hash is OPTIONAL when the ID token comes from the token endpoint (Core §3.1.3.6), and
    // oidc-provider sets it only on ID tokens from the authorization endpoint, which a code-only
    // provider never issues. Should it ever appear, it must be the left half of SHA-256 (the hash
    // of ES256) of the access token, base64url.
    const digest = createHash('sha256').update(tokens.access_token).digest();
    expect(payload.at_hash ?? digest.subarray(0, digest.length / 2).toString('base64url')).toBe(digest.subarray(0, digest.length / 2).toString('base64url'));

    for (const claim of Object.keys(payload)) expect(PROTOCOL_CLAIMS.has(claim), `unrequested claim ${claim}`).toBe(true);
  });

  it('keeps profile and email claims out of the ID token when an access token carries them to userinfo', async () => {
    const result = await obtainCode(op, 'web', { scope: 'openid profile email' });
    const tokens = (await (await exchangeCode(op, result)).json()) as TokenResponse;
    const claims = jwtPayload(tokens.id_token as string);
    for (const claim of Object.keys(claims)) expect(PROTOCOL_CLAIMS.has(claim), `claim ${claim}`).toBe(true);
  });

  it('is accepted by oauth4webapi with nonce, state and issuer checks', async () => {
    const result = await obtainCode(op, 'web');
    const as = await oauth.processDiscoveryResponse(new URL(op.issuer), await oauth.discoveryRequest(new URL(op.issuer), { [oauth.allowInsecureRequests]: true }));
    const client: oauth.Client = { client_id: 'web' };
    const params = oauth.validateAuthResponse(as, client, result.callback, result.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(WEB_SECRET), params, WEB_REDIRECT, result.pkce.verifier, {
      [oauth.allowInsecureRequests]: true,
    });
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: result.nonce, requireIdToken: true });
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(op.sub);
  });
});
