// oidc-provider's storage Adapter on Redis. Layout and invariants: ARCHITECTURE.md "Redis key
// spaces". Every multi-key step is one Lua script on one hash slot (scripts/), so the same code
// runs on standalone Redis, Sentinel, Cluster and the embedded store.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { addToAccountIndex } from './account-index.ts';
import type { RedisClient } from './connect.ts';
import { GrantRevokedError, guardStore } from './errors.ts';
import { isGrantBoundModel, type Keys } from './keys.ts';
import { withStoreCommands, type StoreCommands } from './scripts/register.ts';

export { listAccountGrants, listAccountSessions } from './account-index.ts';

/** What one consume call observed. */
export type ConsumeOutcome = 'consumed' | 'already-consumed' | 'not-found';

/** oidc-provider's Adapter, plus a consume that tells whether this very call consumed. */
export interface RedisAdapter extends Adapter {
  /**
   * Atomically marks the record consumed unless it already is; never recreates a missing or
   * expired record. Lets callers (refresh-token rotation) detect the losers of a race.
   */
  tryConsume(id: string): Promise<ConsumeOutcome>;
}

export interface AdapterFactoryOptions {
  /**
   * Clock for `consumed` timestamps and account-index scores, epoch milliseconds.
   * Default `Date.now`. Key TTLs always run on the Redis server's clock.
   */
  now?: () => number;
}

// A grant revoked while it has no live member still needs a marker: a write already in flight
// (a request takes well under a minute) must find it.
const REVOKED_MARKER_FLOOR_MS = 60_000;

const CONSUME_OUTCOMES: Record<number, ConsumeOutcome> = { 0: 'not-found', 1: 'consumed', 2: 'already-consumed' };

interface Location {
  key: string;
  grantId?: string | undefined;
}

function toTtlMs(model: string, expiresIn: number | undefined): number | undefined {
  if (expiresIn === undefined) return undefined;
  if (!Number.isFinite(expiresIn)) throw new TypeError(`${model}: expiresIn must be a finite number of seconds`);
  // A non-positive lifetime means "already expired": 1 ms keeps every key TTL-bound and unfindable.
  return Math.max(1, Math.round(expiresIn * 1000));
}

function parseRecord(fields: Record<string, string>): AdapterPayload | undefined {
  if (fields.payload === undefined) return undefined;
  const payload = JSON.parse(fields.payload) as AdapterPayload;
  if (fields.consumed !== undefined) payload.consumed = Number(fields.consumed);
  return payload;
}

class RedisModelAdapter implements RedisAdapter {
  readonly #redis: RedisClient & StoreCommands;
  readonly #keys: Keys;
  readonly #model: string;
  readonly #now: () => number;
  readonly #grantBound: boolean;

  constructor(redis: RedisClient, keys: Keys, model: string, now: () => number) {
    this.#redis = withStoreCommands(redis);
    this.#keys = keys;
    this.#model = model;
    this.#now = now;
    this.#grantBound = isGrantBoundModel(model);
  }

  upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    return guardStore(() => this.#upsert(id, payload, expiresIn));
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return guardStore(() => this.#find(id));
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return guardStore(() => this.#findByLookup('uid', uid, (payload) => payload.uid === uid));
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return guardStore(() => this.#findByLookup('userCode', userCode, (payload) => payload.userCode === userCode));
  }

  async consume(id: string): Promise<void> {
    await this.tryConsume(id);
  }

  tryConsume(id: string): Promise<ConsumeOutcome> {
    return guardStore(async () => {
      const { key } = await this.#locate(id);
      const nowSeconds = Math.floor(this.#now() / 1000);
      const outcome = await this.#redis.pcConsumeRecord(key, String(nowSeconds));
      return CONSUME_OUTCOMES[outcome] ?? 'not-found';
    });
  }

  destroy(id: string): Promise<void> {
    return guardStore(() => this.#destroy(id));
  }

  revokeByGrantId(grantId: string): Promise<void> {
    return guardStore(async () => {
      const keys = this.#keys;
      await this.#redis.pcRevokeGrant(
        keys.grantIndex(grantId),
        keys.record('Grant', grantId),
        keys.grantRevoked(grantId),
        String(REVOKED_MARKER_FLOOR_MS),
      );
    });
  }

  async #upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    const model = this.#model;
    const keys = this.#keys;
    const ttl = toTtlMs(model, expiresIn);
    const mustExpire = this.#grantBound || model === 'Grant' || model === 'Session';
    if (ttl === undefined && mustExpire) throw new TypeError(`${model}: expiresIn is required`);
    const ttlArg = ttl === undefined ? '' : String(ttl);
    // `consumed` lives in its own hash field so the consume script never has to parse JSON.
    const { consumed, ...rest } = payload;
    const json = JSON.stringify(rest);
    const consumedArg = consumed ? String(consumed) : '';
    const { grantId } = payload;

    if (this.#grantBound && grantId) {
      // Pointer first: a record is never reachable without it, and a pointer to a missing record reads as absent.
      await this.#redis.set(keys.grantPointer(model, id), grantId, 'PX', ttlArg);
      const written = await this.#redis.pcWriteGrantMember(
        keys.grantRecord(model, grantId, id),
        keys.grantIndex(grantId),
        keys.grantRevoked(grantId),
        json,
        consumedArg,
        ttlArg,
      );
      if (written === 0) throw new GrantRevokedError(grantId);
      // Device and CIBA requests are saved before a grant exists; once bound, the unbound copy goes.
      await this.#redis.del(keys.record(model, id));
    } else if (model === 'Grant') {
      const written = await this.#redis.pcWriteGrant(keys.record(model, id), keys.grantRevoked(id), json, ttlArg);
      if (written === 0) throw new GrantRevokedError(id);
    } else {
      await this.#redis.pcWriteRecord(keys.record(model, id), json, consumedArg, ttlArg);
    }

    // Lookups after the record: a lookup never names a record that was not written.
    if (model === 'Session' && payload.uid) await this.#setLookup('uid', payload.uid, id, ttlArg);
    if (payload.userCode) await this.#setLookup('userCode', payload.userCode, id, ttlArg);

    if (payload.accountId && ttl !== undefined && (model === 'Grant' || model === 'Session')) {
      const index = model === 'Grant' ? keys.accountGrants(payload.accountId) : keys.accountSessions(payload.accountId);
      const now = this.#now();
      await addToAccountIndex(this.#redis, index, id, now + ttl, now);
    }
  }

  async #setLookup(field: string, value: string, id: string, ttlArg: string): Promise<void> {
    const key = this.#keys.lookup(this.#model, field, value);
    if (ttlArg === '') await this.#redis.set(key, id);
    else await this.#redis.set(key, id, 'PX', ttlArg);
  }

  async #locate(id: string): Promise<Location> {
    const keys = this.#keys;
    if (!this.#grantBound) return { key: keys.record(this.#model, id) };
    const grantId = await this.#redis.get(keys.grantPointer(this.#model, id));
    if (grantId) return { key: keys.grantRecord(this.#model, grantId, id), grantId };
    return { key: keys.record(this.#model, id) };
  }

  async #find(id: string): Promise<AdapterPayload | undefined> {
    const location = await this.#locate(id);
    const found = parseRecord(await this.#redis.hgetall(location.key));
    if (found || location.grantId || !this.#grantBound) return found;
    // Not bound when we looked, maybe bound (and the unbound copy removed) since: look once more.
    const again = await this.#locate(id);
    return again.grantId ? parseRecord(await this.#redis.hgetall(again.key)) : undefined;
  }

  async #findByLookup(
    field: string,
    value: string,
    pointsBack: (payload: AdapterPayload) => boolean,
  ): Promise<AdapterPayload | undefined> {
    const id = await this.#redis.get(this.#keys.lookup(this.#model, field, value));
    if (!id) return undefined;
    const payload = await this.#find(id);
    // A stale lookup (its record re-saved with another value) must not resolve.
    return payload && pointsBack(payload) ? payload : undefined;
  }

  async #destroy(id: string): Promise<void> {
    const keys = this.#keys;
    const model = this.#model;
    const location = await this.#locate(id);
    let json: string;
    if (location.grantId) {
      json = await this.#redis.pcDestroyGrantMember(location.key, keys.grantIndex(location.grantId));
      await this.#redis.pcDeleteIfEquals(keys.grantPointer(model, id), location.grantId);
    } else {
      json = await this.#redis.pcTakeRecord(location.key);
    }
    if (json === '') return;
    const payload = JSON.parse(json) as AdapterPayload;
    // Only while the lookup still names this record: it may have been reassigned to another one.
    if (model === 'Session' && payload.uid) {
      await this.#redis.pcDeleteIfEquals(keys.lookup(model, 'uid', payload.uid), id);
    }
    if (payload.userCode) await this.#redis.pcDeleteIfEquals(keys.lookup(model, 'userCode', payload.userCode), id);
    if (payload.accountId && (model === 'Grant' || model === 'Session')) {
      const index = model === 'Grant' ? keys.accountGrants(payload.accountId) : keys.accountSessions(payload.accountId);
      await this.#redis.zrem(index, id);
    }
  }
}

/**
 * Builds oidc-provider's `adapter` option on a Redis client.
 *
 * @example
 * const redis = connectRedis({ url: process.env.REDIS_URL });
 * new Provider(issuer, { adapter: createAdapterFactory(redis, createKeys()) });
 */
export function createAdapterFactory(
  redis: RedisClient,
  keys: Keys,
  options: AdapterFactoryOptions = {},
): (modelName: string) => RedisAdapter {
  const now = options.now ?? Date.now;
  // Define the scripts now, not when the first model is used: ioredis' auto-pipeline copies the
  // client's commands when it is created, so a script defined while one is pending is missing
  // from it, and that pipeline's replies then never reach their callers.
  withStoreCommands(redis);
  return (modelName) => new RedisModelAdapter(redis, keys, modelName, now);
}
