// Admin revocation of a grant on a real Redis Cluster, seen by a `portcullis/verifier` whose only
// Redis is a Cluster client: it duplicates that client for its blocking XREAD on the denylist
// stream, and must refuse the revoked grant's token while the same user's other grant verifies.
// When the stream's master dies, both sides fail closed: no 500, no silently accepted token.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../../../src/store/connect.ts';
import { createVerifier, type Verifier } from '../../../src/verifier/index.ts';
import { API, generateSigningKey, startPortcullis, TEST_CLIENTS, type RunningPortcullis } from '../../helpers/portcullis.ts';
import { keySlot } from '../../helpers/keyslot.ts';
import { startRedisCluster, type RedisCluster } from '../../helpers/redis-cluster.ts';
import { ADMIN_CLIENTS, admin, automationToken, ROOT } from '../admin/support.ts';
import { introspect, PASSWORD, postForm, USERNAME } from '../conformance/support.ts';
import { login } from '../revocation/support.ts';
import { outcome, waitFor } from '../verifier/support/wait-for.ts';

let cluster: RedisCluster;
let op: RunningPortcullis;
let jwksDir: string;
let serviceRedis: RedisClient;
let verifier: Verifier;

beforeAll(async () => {
  cluster = await startRedisCluster();
  // The admin API checks its callers' tokens against the provider's key, so the key is a file.
  jwksDir = mkdtempSync(join(tmpdir(), 'portcullis-cluster-'));
  const jwksFile = join(jwksDir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [await generateSigningKey('ES256')] }));
  op = await startPortcullis({ cluster: cluster.nodes, jwksFile, overrides: { clients: [...TEST_CLIENTS, ...ADMIN_CLIENTS] } });
  await op.accounts.create({ ...ROOT, admin: true });
  await op.accounts.create({ username: USERNAME, password: PASSWORD, name: 'Alice Liddell' });
  // A microservice's own connection to the same cluster, as it would configure it.
  serviceRedis = connectRedis({ cluster: { nodes: cluster.nodes } });
  verifier = createVerifier({
    issuer: op.issuer,
    audience: API,
    redis: serviceRedis,
    keyPrefix: op.config.redis.keyPrefix,
    maxTokenTtlSeconds: op.revoker.maxAccessTokenTtlSeconds + 60,
  });
  await verifier.ready();
});

afterAll(async () => {
  await verifier?.close();
  await serviceRedis?.quit().catch(() => undefined);
  await op?.close();
  await cluster?.stop();
  if (jwksDir) rmSync(jwksDir, { recursive: true, force: true });
});

describe('grant revocation on Redis Cluster', () => {
  it('an admin-revoked grant is refused by a verifier on a Cluster client; another grant of the same user verifies', async () => {
    const revoked = await login(op, 'web');
    const kept = await login(op, 'spa');
    expect(await outcome(verifier.verify(revoked.access_token))).toBe('OK');
    expect(await outcome(verifier.verify(kept.access_token))).toBe('OK');

    const adminToken = await automationToken(op);
    const response = await admin(op, 'POST', `/grants/${revoked.grantId}/revoke`, { token: adminToken, body: { reason: 'cluster' } });
    expect(response.status).toBe(200);

    // The follower's blocking read on the duplicated Cluster connection delivers the entry.
    await waitFor(async () => (await outcome(verifier.verify(revoked.access_token))) === 'ERR_TOKEN_REVOKED');
    expect(await outcome(verifier.verify(kept.access_token))).toBe('OK');
    // The grant's records went with it, in one script on the grant's slot.
    expect(await introspect(op, revoked.refresh_token as string)).toEqual({ active: false });
    expect(await introspect(op, kept.refresh_token as string)).toMatchObject({ active: true, client_id: 'spa' });
  });

  // Last in the file: it kills a master of the file's cluster.
  it('when the denylist stream’s master dies: revocation answers 503, the verifier fails closed, and both recover with it', async () => {
    const tokens = await login(op, 'web');
    const strict = createVerifier({ issuer: op.issuer, audience: API, redis: serviceRedis, keyPrefix: op.config.redis.keyPrefix, maxStalenessMs: 500 });
    try {
      await strict.ready();
      expect(await outcome(strict.verify(tokens.access_token))).toBe('OK');
      const owner = (op.redis as Cluster).slots[keySlot(op.keys.denylistStream())]?.[0];
      expect(cluster.nodes).toContain(owner);
      await cluster.kill(owner as string);

      await waitFor(async () => (await outcome(strict.verify(tokens.access_token))) === 'ERR_DENYLIST_STALE');
      // RFC 7009 writes the denylist entry before it deletes anything: no stream, no revocation.
      const response = await postForm(op, '/token/revocation', 'web', { token: tokens.refresh_token as string });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' });

      // The master comes back (empty: it persists nothing). The follower resumes on its duplicated
      // Cluster connection: the token verifies again, and a new revocation reaches it.
      await cluster.restart(owner as string);
      await waitFor(async () => (await outcome(strict.verify(tokens.access_token))) === 'OK', 15_000);
      // A fresh account: the old ones may have lived on the master that lost its data.
      await op.accounts.create({ username: 'after-restart', password: 'after restart password' });
      const later = await login(op, 'web', { username: 'after-restart', password: 'after restart password' });
      expect(await outcome(strict.verify(later.access_token))).toBe('OK');
      expect((await postForm(op, '/token/revocation', 'web', { token: later.refresh_token as string })).status).toBe(200);
      await waitFor(async () => (await outcome(strict.verify(later.access_token))) === 'ERR_TOKEN_REVOKED');
    } finally {
      await strict.close();
    }
  });
});
