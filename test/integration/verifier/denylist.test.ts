// The denylist end to end: the provider's write primitive → Redis stream → verifiers' memory.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendDenylistEntry, type DenylistEntry } from '../../../src/revocation/denylist.ts';
import { createKeys } from '../../../src/store/keys.ts';
import { createVerifier, type Verifier, type VerifierOptions } from '../../../src/verifier/index.ts';
import { AUDIENCE, nowSeconds, startTestIssuer, type TestIssuer } from './support/test-issuer.ts';
import { outcome, waitFor } from './support/wait-for.ts';

let issuer: TestIssuer;
let writer: Redis;
let keyPrefix: string;
const open: Verifier[] = [];

function verifier(options: Partial<VerifierOptions> = {}): Verifier {
  const created = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: inject('redisUrl'), keyPrefix, ...options });
  open.push(created);
  return created;
}

function revoke(entry: DenylistEntry): Promise<unknown> {
  return appendDenylistEntry(writer, createKeys(keyPrefix), entry, { maxTokenTtlSeconds: 3600 });
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  writer = new Redis(inject('redisUrl'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
  keyPrefix = `t${randomUUID().slice(0, 8)}`;
});

afterAll(async () => {
  writer.disconnect();
  await issuer.stop();
});

keyPrefix = `t${randomUUID().slice(0, 8)}`;

describe('denylist', () => {
  it('refuses a revoked grant while the same user’s other grant keeps working', async () => {
    const v = verifier();
    await v.ready();
    const revoked = await issuer.token({ sub: 'alice', grant_id: 'g-revoked' });
    const other = await issuer.token({ sub: 'alice', grant_id: 'g-other' });
    await revoke({ kind: 'grant', value: 'g-revoked', expiresAt: nowSeconds() + 3600 });
    await waitFor(async () => (await outcome(v.verify(revoked))) === 'ERR_TOKEN_REVOKED');
    expect(await outcome(v.verify(other))).toBe('OK');
    // A token minted later from the revoked grant is refused too: the entry names the grant.
    expect(await outcome(v.verify(await issuer.token({ sub: 'alice', grant_id: 'g-revoked' })))).toBe('ERR_TOKEN_REVOKED');
  });

  it('refuses one revoked jti only', async () => {
    const v = verifier();
    await v.ready();
    const jti = randomUUID();
    const token = await issuer.token({ jti });
    await revoke({ kind: 'jti', value: jti, expiresAt: nowSeconds() + 300 });
    await waitFor(async () => (await outcome(v.verify(token))) === 'ERR_TOKEN_REVOKED');
    expect(await outcome(v.verify(await issuer.token()))).toBe('OK');
  });

  it('refuses a subject’s tokens issued before the instant, not those after, nor other subjects', async () => {
    const v = verifier();
    await v.ready();
    const now = nowSeconds();
    const before = await issuer.token({ sub: 'bob', iat: now - 10 });
    const after = await issuer.token({ sub: 'bob', iat: now });
    const otherUser = await issuer.token({ sub: 'carol', iat: now - 10 });
    await revoke({ kind: 'sub', value: 'bob', before: now, expiresAt: now + 3600 });
    await waitFor(async () => (await outcome(v.verify(before))) === 'ERR_TOKEN_REVOKED');
    expect(await outcome(v.verify(after))).toBe('OK');
    expect(await outcome(v.verify(otherUser))).toBe('OK');
    // client_credentials tokens (no grant_id) still go through the jti and sub checks.
    expect(await outcome(v.verify(await issuer.token({ sub: 'bob', iat: now - 10, grant_id: undefined })))).toBe('ERR_TOKEN_REVOKED');
  });

  it('forgets an entry once its expiresAt has passed', async () => {
    const v = verifier();
    await v.ready();
    // The token deliberately outlives the entry (a writer would never do that) so expiry shows.
    const token = await issuer.token({ grant_id: 'g-short' });
    await revoke({ kind: 'grant', value: 'g-short', expiresAt: nowSeconds() + 1 });
    await waitFor(async () => (await outcome(v.verify(token))) === 'ERR_TOKEN_REVOKED');
    await waitFor(async () => (await outcome(v.verify(token))) === 'OK', 4_000, 100);
  });

  it('reaches several verifier instances within a bounded time', async () => {
    const verifiers = [verifier(), verifier(), verifier(), verifier()];
    await Promise.all(verifiers.map((v) => v.ready()));
    const token = await issuer.token({ grant_id: 'g-fanout' });
    for (const v of verifiers) expect(await outcome(v.verify(token))).toBe('OK');
    const started = performance.now();
    await revoke({ kind: 'grant', value: 'g-fanout', expiresAt: nowSeconds() + 3600 });
    const elapsed = await Promise.all(
      verifiers.map((v) => waitFor(async () => (await outcome(v.verify(token))) === 'ERR_TOKEN_REVOKED', 1_000, 1).then(() => performance.now() - started)),
    );
    // Loopback propagation is a few ms; 250 ms leaves room for a loaded CI machine.
    expect(Math.max(...elapsed)).toBeLessThan(250);
  });

  it('a verifier started after the revocation refuses the token from its snapshot', async () => {
    const token = await issuer.token({ grant_id: 'g-early' });
    await revoke({ kind: 'grant', value: 'g-early', expiresAt: nowSeconds() + 3600 });
    const late = verifier();
    await late.ready();
    expect(await outcome(late.verify(token))).toBe('ERR_TOKEN_REVOKED');
  });

  it('ready() resolves after the whole snapshot is loaded (more than one page)', async () => {
    const now = nowSeconds();
    const pipeline = writer.pipeline();
    const stream = createKeys(keyPrefix).denylistStream();
    for (let i = 0; i < 2_500; i += 1) pipeline.xadd(stream, '*', 'kind', 'jti', 'value', `j-${i}`, 'expires_at', String(now + 600));
    await pipeline.exec();
    const v = verifier();
    await v.ready();
    expect(v.status()).toMatchObject({ synced: true, fresh: true, entries: 2_500 });
    expect(await outcome(v.verify(await issuer.token({ jti: 'j-2499' })))).toBe('ERR_TOKEN_REVOKED');
  });

  it('skips snapshot entries older than maxTokenTtlSeconds', async () => {
    const stream = createKeys(keyPrefix).denylistStream();
    await writer.xadd(stream, `${Date.now() - 20_000}-0`, 'kind', 'jti', 'value', 'ancient', 'expires_at', String(nowSeconds() + 600));
    const v = verifier({ maxTokenTtlSeconds: 10 });
    await v.ready();
    expect(v.status().entries).toBe(0);
  });

  it('reports and skips a malformed entry without stopping', async () => {
    const errors: Error[] = [];
    const v = verifier({ onError: (error) => errors.push(error) });
    await v.ready();
    await writer.xadd(createKeys(keyPrefix).denylistStream(), '*', 'kind', 'bogus', 'value', 'x', 'expires_at', 'soon');
    const token = await issuer.token({ grant_id: 'g-after-bad' });
    await revoke({ kind: 'grant', value: 'g-after-bad', expiresAt: nowSeconds() + 60 });
    await waitFor(async () => (await outcome(v.verify(token))) === 'ERR_TOKEN_REVOKED');
    expect(errors.map((e) => e.message).join()).toMatch(/malformed/);
  });

  it('uses a given ioredis client by duplicating it, and leaves it open on close', async () => {
    const client = new Redis(inject('redisUrl'));
    const v = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: client, keyPrefix });
    await v.ready();
    await v.close();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });
});
