// A Cluster master dies while it owns a grant's slot (and not the denylist stream's): every
// endpoint that needs that grant answers 503 temporarily_unavailable — never a 500 — for as long
// as ioredis keeps retrying the dead node, and serves again once the master is back. Once the
// cluster marks the master failed it refuses every key, and /readyz says so.
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortcullis, TEST_CLIENTS, type RunningPortcullis } from '../../helpers/portcullis.ts';
import { keySlot } from '../../helpers/keyslot.ts';
import { startRedisCluster, type RedisCluster } from '../../helpers/redis-cluster.ts';
import { ADMIN_CLIENTS, admin, automationToken, ROOT } from '../admin/support.ts';
import { PASSWORD, postForm, USERNAME } from '../conformance/support.ts';
import { login, type Login } from '../revocation/support.ts';
import { waitFor } from '../verifier/support/wait-for.ts';

let cluster: RedisCluster;
let op: RunningPortcullis;

beforeAll(async () => {
  // A short node timeout so that the cluster declares the dead master failed within seconds.
  cluster = await startRedisCluster({ nodeTimeoutMs: 2_000 });
  op = await startPortcullis({ cluster: cluster.nodes, overrides: { clients: [...TEST_CLIENTS, ...ADMIN_CLIENTS] } });
  await op.accounts.create({ ...ROOT, admin: true });
  await op.accounts.create({ username: USERNAME, password: PASSWORD });
});

afterAll(async () => {
  await op?.close();
  await cluster?.stop();
});

function ownerOf(key: string): string {
  return (op.redis as Cluster).slots[keySlot(key)]?.[0] as string;
}

/** Logs in until a grant lands on a master that does not hold the denylist stream. */
async function loginOnAnotherMaster(): Promise<{ tokens: Login; owner: string }> {
  const spared = ownerOf(op.keys.denylistStream());
  for (let attempt = 0; attempt < 30; attempt += 1) {
    const tokens = await login(op, 'web');
    const owner = ownerOf(op.keys.record('Grant', tokens.grantId));
    if (owner !== spared) return { tokens, owner };
  }
  throw new Error('no grant left the denylist stream’s master in 30 logins');
}

describe('a Cluster master holding a grant goes down', () => {
  it('refresh, revocation, introspection and admin answer 503, readiness follows the cluster, and all recover', async () => {
    const { tokens, owner } = await loginOnAnotherMaster();
    const adminToken = await automationToken(op);
    const readiness = async () => (await fetch(new URL('/readyz', op.issuer))).status;
    expect(await readiness()).toBe(200);
    await cluster.kill(owner);

    for (const [path, body] of [
      ['/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string }],
      ['/token/revocation', { token: tokens.refresh_token as string }],
      ['/token/introspection', { token: tokens.refresh_token as string }],
    ] as const) {
      const response = await postForm(op, path, 'web', body);
      expect({ path, status: response.status }).toEqual({ path, status: 503 });
      expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' });
    }
    const revoke = await admin(op, 'POST', `/grants/${tokens.grantId}/revoke`, { token: adminToken, body: { reason: 'master down' } });
    expect(revoke.status).toBe(503);
    expect(revoke.body).toMatchObject({ code: 'ERR_ADMIN_UNAVAILABLE' });
    // PING still reaches the live masters; readiness asks the cluster whether it serves keys.
    await waitFor(async () => (await readiness()) === 503, 15_000, 100);

    // The master comes back empty (it persists nothing): once the client has reconnected to it,
    // the grant is gone and the answer says so.
    await cluster.restart(owner);
    let after: Response | undefined;
    await waitFor(async () => {
      after = await postForm(op, '/token', 'web', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string });
      return after.status !== 503;
    }, 15_000, 100);
    expect(after?.status).toBe(400);
    expect(await after?.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await readiness()).toBe(200);
  }, 45_000); // a kill, a failure detection and a restart: slower than the suite's default
});
