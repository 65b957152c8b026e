// The grant handler's race logic with oidc-provider's grant replaced by a controllable stand-in:
// a winner whose lock expired mid-request loses the compare-and-swap and answers with the new
// winner's response instead of forking the family.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { FamilyStore } from '../../../src/refresh/family-store.ts';
import { refreshGrantHandler } from '../../../src/refresh/handler.ts';
import type { OidcInternals } from '../../../src/refresh/oidc-internals.ts';
import { currentStage } from '../../../src/refresh/stage.ts';
import { newFamilyId, RefreshTokenMinter, tokenHash } from '../../../src/refresh/token-value.ts';
import { createMemoryRedis, type RedisClient } from '../../../src/store/connect.ts';
import { createKeys } from '../../../src/store/keys.ts';

const keys = createKeys('unit-handler');
const config = loadConfig({
  env: {},
  overrides: { clients: [{ client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example.test/cb'] }] },
});
const minter = new RefreshTokenMinter(['unit-secret-0123456789-0123456789-01']);
const GRANT = 'grantUnitHandler';

let redis: RedisClient;
let store: FamilyStore;

beforeEach(async () => {
  redis = createMemoryRedis();
  await redis.flushall();
  store = new FamilyStore(redis, keys);
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Stands in for oidc-provider's grant: mints a successor (after `gate`) and answers with it. */
function fakeInternals(gates: Promise<void>[]): OidcInternals {
  let calls = 0;
  return {
    async refreshGrant(ctx) {
      const gate = gates[calls];
      calls += 1;
      await gate;
      const stage = currentStage();
      if (!stage) throw new Error('not staged');
      const value = minter.mint(stage.grantId, stage.familyId, stage.generation + 1);
      stage.successor = { value, payload: { ...stage.presented.payload, jti: value, exp: 2_000_000_000 }, expiresInSeconds: 600 };
      ctx.body = { refresh_token: value, access_token: `access-${calls}`, token_type: 'Bearer' };
    },
    validateDpop: async () => undefined,
    checkDpopRequired: () => undefined,
    checkDpopReplay: async () => undefined,
    parameters: new Set(['refresh_token', 'scope']),
  };
}

function context(refreshToken: string): KoaContextWithOIDC {
  return { oidc: { params: { refresh_token: refreshToken }, client: { clientId: 'spa', clientAuthMethod: 'none' } }, body: undefined } as unknown as KoaContextWithOIDC;
}

describe('refresh grant handler', () => {
  it('a winner whose lock expired loses the compare-and-swap and answers with the other winner\'s response', async () => {
    const familyId = newFamilyId();
    const token = minter.mint(GRANT, familyId, 0);
    await store.create({ grantId: GRANT, familyId }, { hash: tokenHash(token), clientId: 'spa', generation: 0, expiresAt: 2_000_000_000, payload: '{"accountId":"a1"}', nowMs: Date.now(), ttlMs: 600_000 });
    const slow = deferred();
    const handle = refreshGrantHandler({ config, store, minter, internals: fakeInternals([slow.promise, Promise.resolve()]), logger: createLogger('silent'), revokeGrant: async () => undefined });

    const first = context(token);
    const firstDone = handle(first);
    // Let the first request take the lock and block inside the grant, then let its lock "expire".
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await redis.del(keys.refreshLock(GRANT, familyId))).toBe(1);

    const second = context(token);
    await handle(second);
    slow.resolve();
    await firstDone;

    expect(second.body).toMatchObject({ access_token: 'access-2' });
    expect(first.body).toEqual(second.body);
    // One rotation: generation 1 is current, and it is the token both were given.
    const family = await store.read({ grantId: GRANT, familyId });
    expect(family?.generation).toBe(1);
    expect(family?.hash).toBe(tokenHash((second.body as { refresh_token: string }).refresh_token));
  });
});
