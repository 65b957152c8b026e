// Every code of the catalogue, triggered through the public API with real tokens, a real JWKS
// over HTTP and a real Redis.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendDenylistEntry } from '../../../src/revocation/denylist.ts';
import { createKeys } from '../../../src/store/keys.ts';
import { ClaimInvalidError, VERIFIER_ERROR_CODES, createVerifier, requireScopes, type Verifier, type VerifierError } from '../../../src/verifier/index.ts';
import { freePort, startRedisServer } from '../../helpers/redis-server.ts';
import { AUDIENCE, createDpopClient, nowSeconds, startTestIssuer, type TestIssuer } from './support/test-issuer.ts';

const seen = new Set<string>();
let issuer: TestIssuer;
let verifier: Verifier;
let writer: Redis;
const keyPrefix = `t${randomUUID().slice(0, 8)}`;

async function expectCode(promise: Promise<unknown>, code: keyof typeof VERIFIER_ERROR_CODES): Promise<VerifierError> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as VerifierError | undefined;
  expect(error?.code, `expected ${code}`).toBe(code);
  seen.add(code);
  return error as VerifierError;
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  writer = new Redis(inject('redisUrl'));
  verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: inject('redisUrl'), keyPrefix });
  await verifier.ready();
});

afterAll(async () => {
  await verifier.close();
  writer.disconnect();
  await issuer.stop();
});

describe('verify', () => {
  it('accepts a valid token and returns its claims', async () => {
    const claims = await verifier.verify(await issuer.token({ sub: 'alice' }));
    expect(claims).toMatchObject({ sub: 'alice', aud: AUDIENCE, client_id: 'client-1', grant_id: 'grant-1' });
  });

  it('accepts exp within the 5 s leeway and refuses it beyond', async () => {
    await expect(verifier.verify(await issuer.token({ exp: nowSeconds() - 2 }))).resolves.toBeTruthy();
    await expectCode(verifier.verify(await issuer.token({ exp: nowSeconds() - 10 })), 'ERR_TOKEN_EXPIRED');
  });

  it('ERR_TOKEN_MISSING', async () => {
    await expectCode(verifier.verify(undefined), 'ERR_TOKEN_MISSING');
    await expectCode(verifier.verify(''), 'ERR_TOKEN_MISSING');
  });

  it('ERR_TOKEN_MALFORMED', async () => {
    await expectCode(verifier.verify('not-a-jwt'), 'ERR_TOKEN_MALFORMED');
    await expectCode(verifier.verify('a.b.c'), 'ERR_TOKEN_MALFORMED');
  });

  it('ERR_TOKEN_ALG_NOT_ALLOWED for HS256 (never on the list)', async () => {
    const hs = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(new Uint8Array(32));
    await expectCode(verifier.verify(hs), 'ERR_TOKEN_ALG_NOT_ALLOWED');
  });

  it('ERR_TOKEN_KEY_NOT_FOUND for an unknown kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expectCode(verifier.verify(await issuer.token({}, { key: privateKey, header: { kid: 'other' } })), 'ERR_TOKEN_KEY_NOT_FOUND');
  });

  it('ERR_TOKEN_INVALID_SIGNATURE for a known kid signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expectCode(verifier.verify(await issuer.token({}, { key: privateKey })), 'ERR_TOKEN_INVALID_SIGNATURE');
  });

  it('ERR_TOKEN_NOT_YET_VALID for nbf or iat in the future', async () => {
    await expectCode(verifier.verify(await issuer.token({ nbf: nowSeconds() + 60 })), 'ERR_TOKEN_NOT_YET_VALID');
    await expectCode(verifier.verify(await issuer.token({ iat: nowSeconds() + 60 })), 'ERR_TOKEN_NOT_YET_VALID');
  });

  it.each([
    ['aud', { aud: 'https://other.test' }, {}],
    ['iss', { iss: 'https://evil.test' }, {}],
    ['typ', {}, { typ: 'JWT' }],
    ['client_id', { client_id: undefined }, {}],
    ['jti', { jti: undefined }, {}],
    ['scope', { scope: ['orders:read'] }, {}],
  ])('ERR_TOKEN_CLAIM_INVALID names %s', async (claim, claims, header) => {
    const error = await expectCode(verifier.verify(await issuer.token(claims, { header })), 'ERR_TOKEN_CLAIM_INVALID');
    expect(error).toBeInstanceOf(ClaimInvalidError);
    expect((error as ClaimInvalidError).claim).toBe(claim);
  });

  it('ERR_TOKEN_REVOKED', async () => {
    const jti = randomUUID();
    await appendDenylistEntry(writer, createKeys(keyPrefix), { kind: 'jti', value: jti, expiresAt: nowSeconds() + 300 }, { maxTokenTtlSeconds: 3600 });
    const token = await issuer.token({ jti });
    await expect.poll(async () => verifier.verify(token).then(() => 'OK', (e: VerifierError) => e.code)).toBe('ERR_TOKEN_REVOKED');
    await expectCode(verifier.verify(token), 'ERR_TOKEN_REVOKED');
  });

  it('ERR_DPOP_PROOF_REQUIRED and ERR_DPOP_PROOF_INVALID', async () => {
    const client = await createDpopClient();
    const url = 'https://orders.test/orders';
    const token = await issuer.token({ cnf: { jkt: client.jkt } });
    await expectCode(verifier.verify(token), 'ERR_DPOP_PROOF_REQUIRED');
    await expectCode(verifier.verify(token, { dpop: { proof: undefined, method: 'GET', url } }), 'ERR_DPOP_PROOF_REQUIRED');
    const proof = await client.proof({ method: 'POST', url, accessToken: token });
    await expectCode(verifier.verify(token, { dpop: { proof, method: 'GET', url } }), 'ERR_DPOP_PROOF_INVALID');
  });

  it('ERR_INSUFFICIENT_SCOPE', async () => {
    const claims = await verifier.verify(await issuer.token({ scope: 'orders:read' }));
    expect(() => requireScopes(claims, ['orders:read'])).not.toThrow();
    await expectCode(Promise.resolve().then(() => requireScopes(claims, ['orders:write'])), 'ERR_INSUFFICIENT_SCOPE');
  });

  it('ERR_DENYLIST_STALE when Redis is unreachable beyond maxStalenessMs', async () => {
    const server = await startRedisServer();
    const stale = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: server.url, maxStalenessMs: 300 });
    await stale.ready();
    await server.destroy();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await expectCode(stale.verify(await issuer.token()), 'ERR_DENYLIST_STALE');
    await stale.close();
  });

  it('ERR_JWKS_UNAVAILABLE when the JWKS endpoint is down', async () => {
    const down = createVerifier({
      issuer: issuer.issuer,
      jwksUri: `http://127.0.0.1:${await freePort()}/jwks`,
      audience: AUDIENCE,
      redis: inject('redisUrl'),
    });
    await expectCode(down.verify(await issuer.token()), 'ERR_JWKS_UNAVAILABLE');
    await down.close();
  });

  it('triggered every code of the catalogue', () => {
    expect([...seen].sort()).toEqual(Object.keys(VERIFIER_ERROR_CODES).sort());
  });
});
