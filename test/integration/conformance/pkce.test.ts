// PKCE (RFC 7636) with S256 is required for every client, public or confidential (RFC 9700
// §2.1.1); `plain` is refused, and the code is only exchanged for the right verifier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizationRequest,
  exchangeCode,
  obtainCode,
  pkce,
  startConformanceOp,
  type ConformanceOp,
  type TestClientId,
} from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

/** The authorization error the provider redirects back with (the redirect_uri is valid). */
async function authorizationError(client: TestClientId, params: Record<string, string | null>): Promise<URLSearchParams> {
  const request = await authorizationRequest(op, client, params);
  const response = await fetch(request.url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get('location') as string);
  expect(location.searchParams.get('state')).toBe(request.state);
  expect(location.searchParams.get('iss')).toBe(op.issuer);
  return location.searchParams;
}

describe.each(['spa', 'web'] as const)('PKCE for %s', (client) => {
  it('rejects an authorization request without code_challenge', async () => {
    const result = await authorizationError(client, { code_challenge: null, code_challenge_method: null });
    expect(result.get('error')).toBe('invalid_request');
    expect(result.get('error_description')).toBe('Authorization Server policy requires PKCE to be used for this request');
    expect(result.has('code')).toBe(false);
  });

  it('rejects code_challenge_method=plain', async () => {
    const { verifier } = await pkce();
    const result = await authorizationError(client, { code_challenge: verifier, code_challenge_method: 'plain' });
    expect(result.get('error')).toBe('invalid_request');
    expect(result.get('error_description')).toBe('not supported value of code_challenge_method');
  });

  it('rejects a code_challenge without code_challenge_method', async () => {
    const result = await authorizationError(client, { code_challenge_method: null });
    expect(result.get('error')).toBe('invalid_request');
    expect(result.get('error_description')).toBe('code_challenge_method must be provided');
  });

  it('rejects a malformed code_challenge', async () => {
    const result = await authorizationError(client, { code_challenge: 'short' });
    expect(result.get('error')).toBe('invalid_request');
    expect(result.get('error_description')).toBe('code_challenge must be a string with a minimum length of 43 characters');
  });

  it('refuses the code without code_verifier (invalid_grant)', async () => {
    const result = await obtainCode(op, client);
    const response = await exchangeCode(op, result, { code_verifier: '' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_grant', error_description: 'grant request is invalid' });
  });

  it('refuses the code with another verifier (invalid_grant)', async () => {
    const result = await obtainCode(op, client);
    const wrong = await exchangeCode(op, { ...result, pkce: await pkce() });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_grant', error_description: 'grant request is invalid' });
    // An interceptor without the verifier cannot spend the code on the client's behalf: the
    // legitimate client still redeems it once.
    expect((await exchangeCode(op, result)).status).toBe(200);
    expect((await exchangeCode(op, result)).status).toBe(400);
  });

  it('refuses a verifier that is not RFC 7636 syntax (invalid_request)', async () => {
    const result = await obtainCode(op, client);
    const response = await exchangeCode(op, result, { code_verifier: 'too-short' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request', error_description: 'code_verifier must be a string with a minimum length of 43 characters' });
  });

  it('exchanges the code for the right verifier', async () => {
    const result = await obtainCode(op, client);
    const response = await exchangeCode(op, result);
    expect(response.status).toBe(200);
  });
});

it('advertises S256 as the only code_challenge_method', async () => {
  const metadata = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
});
