// Token flows with every piece of state on a real Redis Cluster: the openid-client happy path
// (code + PKCE through the real forms, refresh, introspection, revocation), 20 micro frontends
// refreshing one token at once, and reuse after the grace window killing the family. Sessions, interactions, grants,
// codes and refresh families land on different masters, so any command or script that spans two
// hash slots fails here with CROSSSLOT where a standalone server would accept it.
import type { Cluster } from 'ioredis';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, discoverWebClient, loginWithOpenidClient } from '../../helpers/openid-client.ts';
import { startPortcullis, type RunningPortcullis } from '../../helpers/portcullis.ts';
import { keysMatching, startRedisCluster, type RedisCluster } from '../../helpers/redis-cluster.ts';
import { keySlot } from '../../helpers/keyslot.ts';
import { introspect, jwtClaims, login, refresh, refreshTestClients, sleep } from '../refresh/support.ts';

const CONCURRENT = 20;

let cluster: RedisCluster;
let op: RunningPortcullis;
let config: client.Configuration;

beforeAll(async () => {
  cluster = await startRedisCluster();
  op = await startPortcullis({ cluster: cluster.nodes, overrides: { clients: refreshTestClients() } });
  await op.accounts.create(ALICE);
  config = await discoverWebClient(op);
});

afterAll(async () => {
  await op?.close();
  await cluster?.stop();
});

describe('openid-client against Portcullis on Redis Cluster', () => {
  it('completes code + PKCE, then userinfo, refresh, introspection and revocation', async () => {
    const tokens = await loginWithOpenidClient(op, config);
    const sub = tokens.claims()?.sub as string;
    expect(tokens.refresh_token).toBeTypeOf('string');

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, sub);
    expect(userinfo).toMatchObject({ sub, name: 'Alice Liddell', email: 'alice@example.com' });

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(await client.tokenIntrospection(config, refreshed.refresh_token as string)).toMatchObject({ active: true, client_id: 'web', sub });
    expect((await client.tokenIntrospection(config, tokens.refresh_token as string)).active).toBe(false);

    await client.tokenRevocation(config, refreshed.refresh_token as string);
    expect((await client.tokenIntrospection(config, refreshed.refresh_token as string)).active).toBe(false);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('spread its keys over more than one master (the flow above really crossed nodes)', async () => {
    const pattern = `${op.config.redis.keyPrefix}:*`;
    expect(new Set((await keysMatching(op.redis, pattern)).map(keySlot)).size).toBeGreaterThan(3);
    const perMaster = await Promise.all((op.redis as Cluster).nodes('master').map(async (node) => (await node.keys(pattern)).length));
    expect(perMaster.filter((count) => count > 0).length).toBeGreaterThan(1);
  });

  it(`${CONCURRENT} concurrent refreshes of one token: one rotation, one identical answer, family alive`, async () => {
    // The refresh lock, family and grace entry share the grant's slot; the lock and compare-and-swap
    // are Lua on that slot, so the race is decided by the one master that owns it.
    const tokens = await login(op, 'spa');
    const presented = tokens.refresh_token as string;
    const results = await Promise.all(Array.from({ length: CONCURRENT }, () => refresh(op, 'spa', presented)));
    for (const result of results) expect(result.status, JSON.stringify(result.body)).toBe(200);
    const answer = results[0]?.body;
    expect(answer?.refresh_token).toBeTypeOf('string');
    expect(answer?.refresh_token).not.toBe(presented);
    for (const result of results) expect(result.body).toEqual(answer);

    expect(await introspect(op, answer?.refresh_token as string)).toMatchObject({ active: true, client_id: 'spa' });
    expect(await introspect(op, presented)).toEqual({ active: false });
    const next = await refresh(op, 'spa', answer?.refresh_token as string);
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(answer?.refresh_token);
  });

  it('reuse after the grace window revokes the family and denylists the grant', async () => {
    const tokens = await login(op, 'spa-grace1');
    const grantId = jwtClaims(tokens.access_token).grant_id as string;
    const rotated = await refresh(op, 'spa-grace1', tokens.refresh_token as string);
    expect(rotated.status).toBe(200);
    const successor = rotated.body.refresh_token as string;

    // spa-grace1's grace window is 1 s; wait it out so the old token counts as stolen.
    await sleep(1_500);
    const reused = await refresh(op, 'spa-grace1', tokens.refresh_token as string);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    expect(await introspect(op, successor)).toEqual({ active: false });
    expect((await refresh(op, 'spa-grace1', successor)).status).toBe(400);

    const entries = await op.redis.xrange(op.keys.denylistStream(), '-', '+');
    const grants = entries.map(([, fields]) => fields).filter((fields) => fields.includes('grant')).map((fields) => fields[fields.indexOf('value') + 1]);
    expect(grants).toContain(grantId);
  });
});
