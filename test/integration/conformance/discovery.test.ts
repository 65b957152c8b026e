// Discovery (OpenID Connect Discovery 1.0) and the JWKS: what a strict relying party reads before
// it trusts a single token.
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceOp, type ConformanceOp } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

describe('discovery', () => {
  it('answers 200 JSON whose issuer equals the URL it was fetched from, character for character', async () => {
    const response = await fetch(`${op.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(op.issuer);
    // A strict peer library refuses any mismatch; this is the same check done by oauth4webapi.
    const as = await oauth.processDiscoveryResponse(new URL(op.issuer), await oauth.discoveryRequest(new URL(op.issuer), { [oauth.allowInsecureRequests]: true }));
    expect(as.issuer).toBe(op.issuer);
  });

  it('advertises every endpoint and capability a relying party needs', async () => {
    const metadata = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'revocation_endpoint', 'introspection_endpoint', 'end_session_endpoint']) {
      expect(metadata[endpoint], endpoint).toBeTypeOf('string');
      expect(new URL(metadata[endpoint] as string).origin, endpoint).toBe(op.issuer);
    }
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.subject_types_supported).toContain('public');
    expect(metadata.id_token_signing_alg_values_supported).toEqual(['ES256']);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'offline_access', 'profile', 'email']));
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(['sub', 'name', 'email', 'email_verified', 'preferred_username']));
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'none']));
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
  });
});

describe('JWKS', () => {
  it('publishes public signing keys only, each with a distinct kid, use and alg', async () => {
    const metadata = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    const response = await fetch(metadata.jwks_uri);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/(jwk-set\+)?json/);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys.map((key) => key.kid)).size).toBe(keys.length);
    for (const key of keys) {
      expect(key.kid).toBeTypeOf('string');
      expect(key.use).toBe('sig');
      expect(key.alg).toBe('ES256');
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key, `private member ${secret}`).not.toHaveProperty(secret);
    }
  });
});
