// Typed access to refresh-token families in Redis (layout and atomicity: scripts.ts). One round
// trip per call: a refresh that wins costs `begin` + `commitRotation`, nothing else of ours.
import type { RedisClient } from '../store/connect.ts';
import { guardStore } from '../store/errors.ts';
import { defineScripts, scriptKeyCounts, type ScriptTable } from '../store/scripts/define.ts';
import type { Keys } from '../store/keys.ts';
import { BEGIN, COMMIT_ROTATION, CREATE, DESTROY, RELEASE, TOUCH } from './scripts.ts';

/** Names one family: its grant (the hash slot) and its id within the grant. */
export interface FamilyId {
  grantId: string;
  familyId: string;
}

/** What a family says about its current token. */
export interface FamilyState {
  generation: number;
  /** exp of the current token, unix seconds. */
  expiresAt: number;
  /** The current token's payload as stored (see adapter.ts for what is left out). */
  payload: string;
  /** When the current token was issued, epoch ms (= when its predecessor was rotated). */
  issuedAt: number;
  /** When the previous token was issued, epoch ms; undefined before the second rotation. */
  previousIssuedAt: number | undefined;
}

/** A family as stored (layout: scripts.ts). */
export interface FamilyRecord {
  hash: string;
  clientId: string;
  generation: number;
  /** exp of the current token, unix seconds. */
  expiresAt: number;
  /** When the current token was issued, epoch ms. */
  issuedAt: number;
  payload: string;
}

function parseFamily(raw: string | null): FamilyRecord | undefined {
  if (!raw) return undefined;
  // The payload is last and may contain the separator.
  const fields = raw.split('|');
  if (fields.length < 8) return undefined;
  const [hash, clientId, generation, expiresAt, issuedAt] = fields as [string, string, string, string, string];
  return { hash, clientId, generation: Number(generation), expiresAt: Number(expiresAt), issuedAt: Number(issuedAt), payload: fields.slice(7).join('|') };
}

/** True when `key` (a grant index member) is one of this grant's refresh-token families. */
export function isRefreshFamilyKey(keys: Keys, grantId: string, key: string): boolean {
  const family = keys.refreshFamily(grantId, 'x');
  return key.startsWith(family.slice(0, -1)) && key.length > family.length - 1;
}

/**
 * The refresh-token families of a grant (each: one login's chain of rotated tokens), read from
 * its index, for listings such as the admin API's. Cluster-safe: every key is in the grant's slot.
 */
export function listGrantFamilies(redis: RedisClient, keys: Keys, grantId: string): Promise<FamilyRecord[]> {
  return guardStore(async () => {
    const members = (await redis.smembers(keys.grantIndex(grantId))).filter((key) => isRefreshFamilyKey(keys, grantId, key));
    const records = await Promise.all(members.map(async (key) => parseFamily(await redis.get(key))));
    return records.filter((record): record is FamilyRecord => record !== undefined);
  });
}

export type BeginResult =
  | { status: 'missing' | 'client' | 'busy' }
  | { status: 'current' | 'grace' | 'expired' | 'superseded'; family: FamilyState };

export interface NewFamily {
  hash: string;
  clientId: string;
  generation: number;
  expiresAt: number;
  payload: string;
  nowMs: number;
  ttlMs: number;
}

export interface Rotation {
  oldHash: string;
  newHash: string;
  generation: number;
  expiresAt: number;
  payload: string;
  nowMs: number;
  ttlMs: number;
  sealed: Buffer;
  graceMs: number;
  lockOwner: string;
}

interface FamilyCommands {
  rtBegin(family: string, lock: string, grace: string, hash: string, clientId: string, lockOwner: string, lockTtlMs: number): Promise<string[]>;
  rtCreate(family: string, index: string, marker: string, hash: string, clientId: string, generation: number, exp: number, payload: string, nowMs: number, ttlMs: number): Promise<number>;
  rtCommitRotation(
    family: string, grace: string, lock: string, index: string, marker: string,
    oldHash: string, newHash: string, generation: number, exp: number, payload: string, nowMs: number, ttlMs: number, sealed: Buffer, graceMs: number, lockOwner: string,
  ): Promise<number>;
  rtTouch(family: string, index: string, hash: string, exp: number, ttlMs: number): Promise<number>;
  rtRelease(lock: string, owner: string): Promise<number>;
  rtDestroy(family: string, grace: string, index: string, hash: string): Promise<number>;
}

const SCRIPTS: ScriptTable<FamilyCommands> = {
  rtBegin: { numberOfKeys: 3, lua: BEGIN },
  rtCreate: { numberOfKeys: 3, lua: CREATE },
  rtCommitRotation: { numberOfKeys: 5, lua: COMMIT_ROTATION },
  rtTouch: { numberOfKeys: 2, lua: TOUCH },
  rtRelease: { numberOfKeys: 1, lua: RELEASE },
  rtDestroy: { numberOfKeys: 3, lua: DESTROY },
};

/** Number of KEYS each script takes (a test checks that every script stays in one slot). */
export const FAMILY_SCRIPT_KEY_COUNTS = scriptKeyCounts(SCRIPTS);

export class FamilyStore {
  readonly #redis: RedisClient & FamilyCommands;
  readonly #keys: Keys;

  constructor(redis: RedisClient, keys: Keys) {
    this.#redis = defineScripts(redis, SCRIPTS);
    this.#keys = keys;
  }

  /**
   * Reads the family for a presented token and, when it is the current one and `lockOwner` is
   * given, takes the family's lock in the same step.
   */
  begin(id: FamilyId, hash: string, clientId: string, lockOwner: string, lockTtlMs: number): Promise<BeginResult> {
    const k = this.#keys;
    return guardStore(async () => {
      const [status, generation, expiresAt, payload, issuedAt, previousIssuedAt] = await this.#redis.rtBegin(
        k.refreshFamily(id.grantId, id.familyId),
        k.refreshLock(id.grantId, id.familyId),
        k.refreshGrace(id.grantId, id.familyId),
        hash,
        clientId,
        lockOwner,
        lockTtlMs,
      );
      if (status === 'missing' || status === 'client' || status === 'busy') return { status };
      if (status !== 'current' && status !== 'grace' && status !== 'expired' && status !== 'superseded') throw new TypeError(`unexpected family status ${String(status)}`);
      return {
        status,
        family: {
          generation: Number(generation),
          expiresAt: Number(expiresAt),
          payload: payload ?? '{}',
          issuedAt: Number(issuedAt),
          previousIssuedAt: previousIssuedAt ? Number(previousIssuedAt) : undefined,
        },
      };
    });
  }

  /** The sealed grace entry (binary), or null once its window has passed. */
  readGrace(id: FamilyId): Promise<Buffer | null> {
    return guardStore(() => this.#redis.getBuffer(this.#keys.refreshGrace(id.grantId, id.familyId)));
  }

  /** The current token of a family, for lookups outside a refresh (introspection, revocation). */
  read(id: FamilyId): Promise<FamilyRecord | undefined> {
    return guardStore(async () => parseFamily(await this.#redis.get(this.#keys.refreshFamily(id.grantId, id.familyId))));
  }

  /** Starts a family; false when its grant has been revoked meanwhile. */
  create(id: FamilyId, family: NewFamily): Promise<boolean> {
    const k = this.#keys;
    return guardStore(async () => {
      const created = await this.#redis.rtCreate(
        k.refreshFamily(id.grantId, id.familyId),
        k.grantIndex(id.grantId),
        k.grantRevoked(id.grantId),
        family.hash,
        family.clientId,
        family.generation,
        family.expiresAt,
        family.payload,
        family.nowMs,
        family.ttlMs,
      );
      return created === 1;
    });
  }

  /** Rotates (compare-and-swap on the old hash), stores the grace entry, releases the lock. */
  commitRotation(id: FamilyId, rotation: Rotation): Promise<boolean> {
    const k = this.#keys;
    return guardStore(async () => {
      const rotated = await this.#redis.rtCommitRotation(
        k.refreshFamily(id.grantId, id.familyId),
        k.refreshGrace(id.grantId, id.familyId),
        k.refreshLock(id.grantId, id.familyId),
        k.grantIndex(id.grantId),
        k.grantRevoked(id.grantId),
        rotation.oldHash,
        rotation.newHash,
        rotation.generation,
        rotation.expiresAt,
        rotation.payload,
        rotation.nowMs,
        rotation.ttlMs,
        rotation.sealed,
        rotation.graceMs,
        rotation.lockOwner,
      );
      return rotated === 1;
    });
  }

  /** Slides the expiry of a family whose current token is `hash` (clients that do not rotate). */
  touch(id: FamilyId, hash: string, expiresAt: number, ttlMs: number): Promise<boolean> {
    const k = this.#keys;
    return guardStore(async () => (await this.#redis.rtTouch(k.refreshFamily(id.grantId, id.familyId), k.grantIndex(id.grantId), hash, expiresAt, ttlMs)) === 1);
  }

  release(id: FamilyId, lockOwner: string): Promise<void> {
    return guardStore(async () => {
      await this.#redis.rtRelease(this.#keys.refreshLock(id.grantId, id.familyId), lockOwner);
    });
  }

  /** Ends the family if `hash` is its current token. */
  destroy(id: FamilyId, hash: string): Promise<boolean> {
    const k = this.#keys;
    return guardStore(async () => (await this.#redis.rtDestroy(k.refreshFamily(id.grantId, id.familyId), k.refreshGrace(id.grantId, id.familyId), k.grantIndex(id.grantId), hash)) === 1);
  }
}
