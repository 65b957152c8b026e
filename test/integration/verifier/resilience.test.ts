// Outages: the connection cut while Redis stays up, Redis restarted, Redis down at start. No entry
// may be lost, and the staleness policy must hold (fail closed after the bound, recover alone).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendDenylistEntry, type DenylistEntry } from '../../../src/revocation/denylist.ts';
import { createKeys } from '../../../src/store/keys.ts';
import { createVerifier } from '../../../src/verifier/index.ts';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';
import { AUDIENCE, nowSeconds, startTestIssuer, type TestIssuer } from './support/test-issuer.ts';
import { outcome, waitFor } from './support/wait-for.ts';

let issuer: TestIssuer;
let server: RedisServer;
let writer: Redis;

function revoke(prefix: string, entry: DenylistEntry): Promise<unknown> {
  return appendDenylistEntry(writer, createKeys(prefix), entry, { maxTokenTtlSeconds: 3600 });
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  server = await startRedisServer({ persistent: true });
  writer = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  writer.on('error', () => undefined);
});

afterAll(async () => {
  writer.disconnect();
  await server.destroy();
  await issuer.stop();
});

describe('denylist follower resilience', () => {
  it('catches up on entries written while its connection was cut, then fails closed past the bound and recovers', async () => {
    const keyPrefix = `t${randomUUID().slice(0, 8)}`;
    const proxy = await startTcpProxy(server.port);
    const v = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: proxy.url, keyPrefix, maxStalenessMs: 500 });
    await v.ready();
    const token = await issuer.token({ grant_id: 'g-while-cut' });

    proxy.cut();
    // Revoked while this verifier cannot hear about it.
    await revoke(keyPrefix, { kind: 'grant', value: 'g-while-cut', expiresAt: nowSeconds() + 3600 });
    const cutAt = performance.now();
    // Within the bound it still answers from memory (and cannot know yet).
    expect(await outcome(v.verify(token))).toBe('OK');
    await waitFor(async () => (await outcome(v.verify(token))) === 'ERR_DENYLIST_STALE', 3_000, 10);
    // Stale once the last contact (at most one 125 ms block before the cut) is 500 ms old.
    const staleAfterMs = performance.now() - cutAt;
    expect(staleAfterMs).toBeGreaterThan(300);
    expect(staleAfterMs).toBeLessThan(1_000);
    expect(v.status().fresh).toBe(false);

    proxy.restore();
    // Recovers by itself and the entry written during the cut is there: nothing lost.
    await waitFor(async () => (await outcome(v.verify(token))) === 'ERR_TOKEN_REVOKED', 5_000, 20);
    expect(await outcome(v.verify(await issuer.token({ grant_id: 'g-unrelated' })))).toBe('OK');
    await v.close();
    await proxy.close();
  });

  it('loses no entry across a Redis restart (persistent), including one written right after it', async () => {
    const keyPrefix = `t${randomUUID().slice(0, 8)}`;
    const v = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: server.url, keyPrefix, maxStalenessMs: 2_000 });
    await v.ready();
    const first = await issuer.token({ grant_id: 'g-before-restart' });
    const second = await issuer.token({ grant_id: 'g-after-restart' });
    await revoke(keyPrefix, { kind: 'grant', value: 'g-before-restart', expiresAt: nowSeconds() + 3600 });
    await waitFor(async () => (await outcome(v.verify(first))) === 'ERR_TOKEN_REVOKED');

    await server.stop();
    await sleep(100);
    await server.restart();
    await revoke(keyPrefix, { kind: 'grant', value: 'g-after-restart', expiresAt: nowSeconds() + 3600 });
    await waitFor(async () => (await outcome(v.verify(second))) === 'ERR_TOKEN_REVOKED', 5_000, 20);
    expect(await outcome(v.verify(first))).toBe('ERR_TOKEN_REVOKED');

    // A verifier started after the restart rebuilds both from the persisted stream.
    const fresh = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: server.url, keyPrefix });
    await fresh.ready();
    expect(await outcome(fresh.verify(first))).toBe('ERR_TOKEN_REVOKED');
    expect(await outcome(fresh.verify(second))).toBe('ERR_TOKEN_REVOKED');
    await Promise.all([v.close(), fresh.close()]);
  });

  it('failOpen: keeps accepting from memory while stale, and still refuses what it knows', async () => {
    const keyPrefix = `t${randomUUID().slice(0, 8)}`;
    const proxy = await startTcpProxy(server.port);
    const v = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: proxy.url, keyPrefix, maxStalenessMs: 200, failOpen: true });
    await v.ready();
    await revoke(keyPrefix, { kind: 'grant', value: 'g-known', expiresAt: nowSeconds() + 3600 });
    const known = await issuer.token({ grant_id: 'g-known' });
    await waitFor(async () => (await outcome(v.verify(known))) === 'ERR_TOKEN_REVOKED');
    proxy.cut();
    await sleep(500);
    expect(v.status().fresh).toBe(false);
    expect(await outcome(v.verify(await issuer.token({ grant_id: 'g-other' })))).toBe('OK');
    expect(await outcome(v.verify(known))).toBe('ERR_TOKEN_REVOKED');
    await v.close();
    await proxy.close();
  });

  it('started while Redis is unreachable: ready() waits, verify fails closed after the bound instead of hanging', async () => {
    const keyPrefix = `t${randomUUID().slice(0, 8)}`;
    const proxy = await startTcpProxy(server.port);
    proxy.cut();
    const v = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: proxy.url, keyPrefix, maxStalenessMs: 300 });
    const started = performance.now();
    expect(await outcome(v.verify(await issuer.token()))).toBe('ERR_DENYLIST_STALE');
    expect(performance.now() - started).toBeLessThan(2_000);
    proxy.restore();
    await v.ready();
    expect(await outcome(v.verify(await issuer.token()))).toBe('OK');
    await v.close();
    await proxy.close();
  });
});
