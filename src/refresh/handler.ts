// The refresh_token grant: oidc-provider's own handler, run under a per-family lock and committed
// with one compare-and-swap, plus the grace window and reuse detection around it.
//
//   current token   → lock, run the grant (staged), commit: rotate + store the sealed response
//   lock held       → wait for the winner, then answer from its stored response
//   previous token, inside the grace window → the winner's response (same tokens), or for a
//                     differently shaped request a fresh access token next to the same successor
//   any older token of ours, rotated longer ago than the grace window → theft: revoke the grant
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config, RefreshPolicy } from '../config/schema.ts';
import type { Logger } from '../observability/logger.ts';
import { storeUnavailable } from '../provider/errors.ts';
import { refreshPolicyFor } from '../provider/ttl.ts';
import type { FamilyState, FamilyStore } from './family-store.ts';
import { requestFingerprint } from './fingerprint.ts';
import { openGraceEntry, sealGraceEntry } from './grace-box.ts';
import { refreshTokenLifetime } from './lifetime.ts';
import type { OidcInternals } from './oidc-internals.ts';
import { restorePayload, storedPayload } from './payload.ts';
import { rotates } from './policy.ts';
import { reuseVerdict } from './reuse.ts';
import { runStaged, type Stage } from './stage.ts';
import { parseRefreshToken, tokenHash, type RefreshTokenMinter, type RefreshTokenParts } from './token-value.ts';

// Far above a refresh's own time (milliseconds), short enough that a crashed instance holding the
// lock delays its family's next refresh by at most this much. Correctness never depends on it:
// the commit is a compare-and-swap.
const LOCK_TTL_MS = 3_000;
// A waiter gives up (503) only after the lock must have expired and been retaken once.
const WAIT_LIMIT_MS = 2 * LOCK_TTL_MS;
// Waiters poll: the winner usually commits within a few ms; back off to 25 ms so 20 waiters cost
// Redis well under 1,000 calls per second.
const FIRST_POLL_MS = 2;
const MAX_POLL_MS = 25;
// Lock owners only need to be unique: a per-process random prefix and a counter.
const OWNER_PREFIX = randomBytes(9).toString('base64url');
let ownerSequence = 0;

// Rounds that end without an answer (a lost compare-and-swap, a grace entry replaced meanwhile)
// before giving up; each needs another instance to have rotated the family in between.
const MAX_ROUNDS = 8;

/** Why a grant is revoked from here, for the hook and the log. */
export type GrantRevocationReason = 'refresh_token_reuse';

export interface ReuseEvent {
  grantId: string;
  familyId: string;
  clientId: string;
  accountId: string | undefined;
  /** Generation of the token presented, and of the family's current token. */
  presentedGeneration: number;
  currentGeneration: number;
}

export interface RefreshGrantOptions {
  config: Readonly<Config>;
  store: FamilyStore;
  minter: RefreshTokenMinter;
  internals: OidcInternals;
  logger: Logger;
  /** Revokes the grant everywhere (store, denylist) after a detected reuse. */
  revokeGrant(event: ReuseEvent, reason: GrantRevocationReason): Promise<void>;
  /** Clock, epoch ms. Default Date.now. */
  now?: () => number;
}

type Outcome = 'answered' | 'again';

function accountOf(payload: string): string | undefined {
  const parsed = JSON.parse(payload) as { accountId?: unknown };
  return typeof parsed.accountId === 'string' ? parsed.accountId : undefined;
}

export function refreshGrantHandler(options: RefreshGrantOptions): (ctx: KoaContextWithOIDC) => Promise<void> {
  const { config, store, minter, internals, logger } = options;
  const now = options.now ?? Date.now;

  function stageFor(parts: RefreshTokenParts, value: string, clientId: string, family: FamilyState, mode: Stage['mode']): Stage {
    const payload = restorePayload(family.payload, { value, grantId: parts.grantId, clientId, generation: family.generation, expiresAt: family.expiresAt });
    return {
      grantId: parts.grantId,
      familyId: parts.familyId,
      mode,
      generation: family.generation,
      consumed: false,
      presented: { value, payload, expiresInSeconds: family.expiresAt - Math.floor(now() / 1000) },
    };
  }

  /** The presented token is current: run oidc-provider's grant, then commit. */
  async function refresh(ctx: KoaContextWithOIDC, parts: RefreshTokenParts, value: string, hash: string, family: FamilyState, policy: RefreshPolicy, lockOwner: string): Promise<Outcome> {
    const clientId = ctx.oidc.client?.clientId as string;
    const stage = stageFor(parts, value, clientId, family, lockOwner ? 'rotate' : 'reuse');
    let committed = false;
    try {
      await runStaged(stage, () => internals.refreshGrant(ctx));
      const successor = stage.successor;
      const nowMs = now();
      if (!successor) {
        // Not rotated (a confidential client that keeps its token): slide the idle timeout.
        const nowSeconds = Math.floor(nowMs / 1000);
        const iiat = typeof stage.presented.payload.iiat === 'number' ? stage.presented.payload.iiat : nowSeconds;
        const lifetime = refreshTokenLifetime(policy, iiat, nowSeconds);
        await store.touch(parts, hash, nowSeconds + lifetime, lifetime * 1000);
        return 'answered';
      }
      const body = ctx.body as Record<string, unknown>;
      const fingerprint = requestFingerprint(ctx, (await internals.validateDpop(ctx))?.thumbprint);
      committed = await store.commitRotation(parts, {
        oldHash: hash,
        newHash: tokenHash(successor.value),
        generation: family.generation + 1,
        expiresAt: successor.payload.exp as number,
        payload: storedPayload(successor.payload),
        nowMs,
        ttlMs: successor.expiresInSeconds * 1000,
        sealed: sealGraceEntry(value, parts.header, { fingerprint, body }),
        graceMs: policy.graceSeconds * 1000,
        lockOwner,
      });
      // Otherwise another instance rotated first (our lock had expired): our tokens were never
      // stored and are dropped; the next round replaces this body with the winner's.
      return committed ? 'answered' : 'again';
    } finally {
      if (lockOwner && !committed) await store.release(parts, lockOwner).catch(() => undefined);
    }
  }

  /** The presented token was rotated within the grace window: answer as the winner did. */
  async function replay(ctx: KoaContextWithOIDC, parts: RefreshTokenParts, value: string, family: FamilyState): Promise<Outcome> {
    const sealed = await store.readGrace(parts);
    const entry = sealed ? openGraceEntry(value, parts.header, sealed) : undefined;
    // Replaced by a newer rotation since we looked: look again.
    if (!entry) return 'again';
    const clientId = ctx.oidc.client?.clientId as string;
    const successor = entry.body.refresh_token;
    if (typeof successor !== 'string') return 'again';
    const proof = await internals.validateDpop(ctx);
    if (requestFingerprint(ctx, proof?.thumbprint) === entry.fingerprint) {
      internals.checkDpopRequired(ctx, proof);
      const jkt = JSON.parse(family.payload) as { jkt?: unknown };
      if (typeof jkt.jkt === 'string' && jkt.jkt !== proof?.thumbprint) throw new errors.InvalidGrant('failed jkt verification');
      await internals.checkDpopReplay(ctx, proof, clientId);
      ctx.body = entry.body;
      return 'answered';
    }
    // Same old token, another ask (resource, scope, DPoP key): the same successor, with an access
    // token for this ask. oidc-provider checks the ask against the successor's grant and binding.
    const params = ctx.oidc.params as Record<string, unknown>;
    params.refresh_token = successor;
    await runStaged(stageFor(parts, successor, clientId, family, 'reuse'), () => internals.refreshGrant(ctx));
    return 'answered';
  }

  /** A token of this family that is no longer current and has no grace entry. */
  async function superseded(ctx: KoaContextWithOIDC, parts: RefreshTokenParts, family: FamilyState, predecessor: boolean, policy: RefreshPolicy): Promise<never> {
    const clientId = ctx.oidc.client?.clientId as string;
    const event: ReuseEvent = {
      grantId: parts.grantId,
      familyId: parts.familyId,
      clientId,
      accountId: accountOf(family.payload),
      presentedGeneration: parts.generation,
      currentGeneration: family.generation,
    };
    // Only a token we minted may revoke: a grant id alone (it is in every access token) must not.
    if (!minter.authentic(parts)) throw new errors.InvalidGrant('refresh token not found');
    const verdict = reuseVerdict({
      predecessor,
      presentedGeneration: parts.generation,
      currentGeneration: family.generation,
      previousIssuedAt: family.previousIssuedAt,
      graceMs: policy.graceSeconds * 1000,
      nowMs: now(),
    });
    if (verdict === 'refuse') {
      logger.info({ event: 'refresh_token_superseded', ...event }, 'superseded refresh token refused without revocation');
      throw new errors.InvalidGrant('refresh token has been rotated');
    }
    logger.warn({ event: 'refresh_token_reuse', ...event }, 'rotated refresh token reused after its grace window: grant revoked');
    await options.revokeGrant(event, 'refresh_token_reuse');
    throw new errors.InvalidGrant('refresh token already used; the grant has been revoked');
  }

  async function handle(ctx: KoaContextWithOIDC): Promise<void> {
    const value = (ctx.oidc.params as Record<string, unknown> | undefined)?.refresh_token;
    // Missing parameter: oidc-provider's own handler words that error.
    if (typeof value !== 'string' || value === '') return internals.refreshGrant(ctx);
    const parts = parseRefreshToken(value);
    if (!parts) throw new errors.InvalidGrant('refresh token not found');
    const client = ctx.oidc.client;
    if (!client) throw new errors.InvalidClient('client not found');
    const policy = refreshPolicyFor(config, client.clientId);
    const rotating = rotates(config, client);
    const hash = tokenHash(value);
    const started = now();
    let poll = FIRST_POLL_MS;
    for (let round = 0; round < MAX_ROUNDS; ) {
      ownerSequence += 1;
      const lockOwner = rotating ? `${OWNER_PREFIX}.${ownerSequence.toString(36)}` : '';
      const begun = await store.begin(parts, hash, client.clientId, lockOwner, LOCK_TTL_MS);
      let outcome: Outcome;
      switch (begun.status) {
        case 'missing':
          throw new errors.InvalidGrant('refresh token not found');
        case 'client':
          throw new errors.InvalidGrant('client mismatch');
        case 'busy':
          if (now() - started > WAIT_LIMIT_MS) throw storeUnavailable();
          await sleep(poll);
          poll = Math.min(poll * 2, MAX_POLL_MS);
          continue;
        case 'current':
          outcome = await refresh(ctx, parts, value, hash, begun.family, policy, lockOwner);
          break;
        case 'grace':
          outcome = await replay(ctx, parts, value, begun.family);
          break;
        case 'expired':
          return superseded(ctx, parts, begun.family, true, policy);
        case 'superseded':
          return superseded(ctx, parts, begun.family, false, policy);
      }
      if (outcome === 'answered') return;
      round += 1;
    }
    throw storeUnavailable();
  }

  return handle;
}
