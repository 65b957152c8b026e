// RFC 9449 proof checks, each failure on its own, with real keys.
import { randomUUID } from 'node:crypto';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createVerifier, type Verifier } from '../../../src/verifier/index.ts';
import { AUDIENCE, createDpopClient, nowSeconds, startTestIssuer, type DpopClient, type TestIssuer } from './support/test-issuer.ts';
import { outcome } from './support/wait-for.ts';

const url = 'https://orders.test/orders';
let issuer: TestIssuer;
let verifier: Verifier;
let client: DpopClient;
let token: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: inject('redisUrl'), keyPrefix: `t${randomUUID().slice(0, 8)}` });
  await verifier.ready();
  client = await createDpopClient();
  token = await issuer.token({ cnf: { jkt: client.jkt } });
});

afterAll(async () => {
  await verifier.close();
  await issuer.stop();
});

async function withProof(proof: string, method = 'GET', requestUrl = url): Promise<{ code: string; description?: string }> {
  try {
    await verifier.verify(token, { dpop: { proof, method, url: requestUrl } });
    return { code: 'OK' };
  } catch (error) {
    const { code, description } = error as { code: string; description: string };
    return { code, description };
  }
}

describe('DPoP-bound tokens', () => {
  it('accepts a proof for this method and URL (query ignored), once', async () => {
    const proof = await client.proof({ method: 'GET', url: `${url}?a=1`, accessToken: token });
    expect(await withProof(proof, 'GET', `${url}?b=2#f`)).toEqual({ code: 'OK' });
    expect(await withProof(proof, 'GET', url)).toEqual({ code: 'ERR_DPOP_PROOF_INVALID', description: 'DPoP proof has been used before' });
  });

  it.each([
    ['wrong method', { method: 'POST' }, 'htm does not match the request method'],
    ['wrong URL', { url: 'https://orders.test/other' }, 'htu does not match the request URL'],
    ['another token', { accessToken: 'another' }, 'ath does not match the access token'],
    ['an old iat', { iat: nowSeconds() - 120 }, 'iat is not recent'],
    ['a future iat', { iat: nowSeconds() + 120 }, 'iat is not recent'],
    ['wrong typ', { typ: 'JWT' }, 'is not a valid DPoP JWT'],
  ])('refuses a proof with %s', async (_name, override, reason) => {
    const proof = await client.proof({ method: 'GET', url, accessToken: token, ...override });
    expect(await withProof(proof)).toEqual({ code: 'ERR_DPOP_PROOF_INVALID', description: `DPoP proof ${reason}` });
  });

  it('refuses a proof signed by a key other than the bound one', async () => {
    const other = await createDpopClient();
    const proof = await other.proof({ method: 'GET', url, accessToken: token });
    expect(await withProof(proof)).toEqual({ code: 'ERR_DPOP_PROOF_INVALID', description: 'DPoP proof key does not match the access token binding' });
  });

  it('refuses a proof whose signature does not match its embedded key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const proof = await client.proof({ method: 'GET', url, accessToken: token, key: privateKey });
    expect((await withProof(proof)).code).toBe('ERR_DPOP_PROOF_INVALID');
  });

  it('refuses the DPoP scheme with a token that is not DPoP-bound', async () => {
    const unbound = await issuer.token();
    const proof = await client.proof({ method: 'GET', url, accessToken: unbound });
    expect(await outcome(verifier.verify(unbound, { dpop: { proof, method: 'GET', url } }))).toBe('ERR_TOKEN_CLAIM_INVALID');
  });
});
