// The write side of revocation: take a grant, a subject or one token back, in the store (so
// nothing new is minted) and on the denylist (so what stateless services already accepted is
// refused). Every method resolves only after its denylist entries are acknowledged by Redis.
//
// Order matters for retries. A grant's denylist entry is written BEFORE the store is touched: if
// the write fails, nothing changed and the caller simply retries; if the store step fails after
// it, the grant's tokens are already refused and the retry finds the grant still there. A
// subject's `before` is taken AFTER its grants are revoked, so it covers every token they minted.
import { createAdapterFactory } from '../store/adapter.ts';
import { listAccountGrants, listAccountSessions } from '../store/account-index.ts';
import type { RedisClient } from '../store/connect.ts';
import type { Keys } from '../store/keys.ts';
import type { Config } from '../config/schema.ts';
import type { Actor, AuditSink, Origin } from './audit.ts';
import { appendDenylistEntry, type AppendDenylistOptions, type DenylistEntry } from './denylist.ts';
import { DENYLIST_EXPIRY_MARGIN_SECONDS, longestAccessTokenTtlSeconds, nowSecondsCeil } from './lifetime.ts';

export interface RevokerOptions {
  redis: RedisClient;
  keys: Keys;
  config: Readonly<Config>;
  /** Where revocations are recorded; omit to record nothing (callers then audit themselves). */
  audit?: AuditSink | undefined;
  /** Wait for replicas to acknowledge each denylist entry (see appendDenylistEntry). Default: off. */
  waitForReplicas?: AppendDenylistOptions['waitForReplicas'];
  /** Clock, epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

export interface RevokeOptions {
  origin?: Origin | undefined;
  /** What triggered it (`admin`, `rfc7009`, `end_session`, `refresh_reuse`, ...), for the audit trail. */
  source?: string | undefined;
  /** Record this revocation in the audit sink. Default true; the admin API audits whole requests itself. */
  audit?: boolean | undefined;
}

export interface GrantRevocation {
  grantId: string;
  /** Whether the grant record still existed (the denylist entry is written either way). */
  found: boolean;
  accountId: string | undefined;
  clientId: string | undefined;
  /** Stream id of the denylist entry. */
  denylistId: string;
}

export interface SubjectRevocation {
  accountId: string;
  grantIds: string[];
  sessionsEnded: number;
  /** Unix seconds: access tokens of the subject issued before this are refused. */
  before: number;
  denylistIds: string[];
}

export interface TokenRevocation {
  jti: string;
  denylistId: string;
}

interface GrantPayload {
  accountId?: string;
  clientId?: string;
}

export class Revoker {
  readonly #redis: RedisClient;
  readonly #keys: Keys;
  readonly #audit: AuditSink | undefined;
  readonly #now: () => number;
  readonly #adapter: ReturnType<typeof createAdapterFactory>;
  readonly #appendOptions: AppendDenylistOptions;
  /** Seconds: the longest access-token lifetime of this provider's configuration. */
  readonly maxAccessTokenTtlSeconds: number;

  constructor(options: RevokerOptions) {
    this.#redis = options.redis;
    this.#keys = options.keys;
    this.#audit = options.audit;
    this.#now = options.now ?? Date.now;
    this.#adapter = createAdapterFactory(options.redis, options.keys, { now: this.#now });
    this.maxAccessTokenTtlSeconds = longestAccessTokenTtlSeconds(options.config);
    this.#appendOptions = {
      // Trimming must not drop an entry before its (margin-extended) expiry.
      maxTokenTtlSeconds: this.maxAccessTokenTtlSeconds + DENYLIST_EXPIRY_MARGIN_SECONDS,
      ...(options.waitForReplicas ? { waitForReplicas: options.waitForReplicas } : {}),
    };
  }

  /** Unix seconds until which an entry written now must live. */
  #expiresAt(fromSeconds: number): number {
    return fromSeconds + this.maxAccessTokenTtlSeconds + DENYLIST_EXPIRY_MARGIN_SECONDS;
  }

  async #append(entry: DenylistEntry): Promise<string> {
    return (await appendDenylistEntry(this.#redis, this.#keys, entry, this.#appendOptions)).id;
  }

  async #findGrant(grantId: string): Promise<GrantPayload | undefined> {
    const payload = await this.#adapter('Grant').find(grantId);
    return payload as GrantPayload | undefined;
  }

  async #revokeGrantInStore(grantId: string): Promise<void> {
    // oidc-provider asks each grant-bound model in turn; our adapter's revokeByGrantId is one script
    // that deletes the whole grant slot (every record in the grant index, refresh-token families
    // included, and the Grant itself) and marks it revoked, whichever model asks, so once is all.
    // The account's grant index drops the grant on its next read, which checks every member.
    await this.#adapter('RefreshToken').revokeByGrantId(grantId);
  }

  async #record(actor: Actor, action: string, target: { type: string; id: string }, options: RevokeOptions, reason: string | undefined, details: Record<string, unknown>): Promise<void> {
    if (!this.#audit || options.audit === false) return;
    await this.#audit.record({ actor, action, target, status: 200, origin: options.origin, reason, details: { ...details, ...(options.source ? { source: options.source } : {}) } });
  }

  /**
   * Denylists a grant the store has already revoked (oidc-provider's own revocation paths: RFC 7009,
   * logout, authorization-code replay). Resolves once the entry is acknowledged.
   */
  async denylistGrant(grantId: string): Promise<string> {
    return this.#append({ kind: 'grant', value: grantId, expiresAt: this.#expiresAt(nowSecondsCeil(this.#now())) });
  }

  /**
   * Revokes one grant: every access token it issued is denylisted, its refresh tokens, codes and
   * the grant itself are deleted, and writes racing this call are refused.
   *
   * @example
   * ```ts
   * await revoker.revokeGrant(grantId, { kind: 'account', id: adminId, clientId: 'console' }, 'lost laptop');
   * ```
   */
  async revokeGrant(grantId: string, actor: Actor, reason?: string, options: RevokeOptions = {}): Promise<GrantRevocation> {
    const grant = await this.#findGrant(grantId);
    const denylistId = await this.denylistGrant(grantId);
    await this.#revokeGrantInStore(grantId);
    const result: GrantRevocation = { grantId, found: grant !== undefined, accountId: grant?.accountId, clientId: grant?.clientId, denylistId };
    await this.#record(actor, 'grant.revoke', { type: 'grant', id: grantId }, options, reason, {
      denylistId,
      found: result.found,
      ...(grant?.accountId ? { accountId: grant.accountId } : {}),
      ...(grant?.clientId ? { clientId: grant.clientId } : {}),
    });
    return result;
  }

  /**
   * Signs a subject out everywhere: revokes every grant and session of the account and denylists
   * its access tokens issued before `before` (default: the moment its grants are gone, rounded up
   * to the next second, so tokens minted in the same second are covered too).
   *
   * @example
   * ```ts
   * await revoker.revokeSubject(accountId, { kind: 'system', id: 'password-change' }, 'password changed');
   * ```
   */
  async revokeSubject(accountId: string, actor: Actor, reason?: string, options: RevokeOptions & { before?: number } = {}): Promise<SubjectRevocation> {
    const grantIds = await listAccountGrants(this.#redis, this.#keys, accountId);
    const sessionIds = await listAccountSessions(this.#redis, this.#keys, accountId);
    // Grant entries as well as the subject entry: a refresh already past its store reads when the
    // grant goes can still mint a token with a later `iat`; the grant entry refuses that one too.
    const grantEntryIds = await Promise.all(grantIds.map((grantId) => this.denylistGrant(grantId)));
    await Promise.all(grantIds.map((grantId) => this.#revokeGrantInStore(grantId)));
    const sessions = this.#adapter('Session');
    await Promise.all(sessionIds.map((sessionId) => sessions.destroy(sessionId)));
    const before = options.before ?? nowSecondsCeil(this.#now());
    if (!Number.isSafeInteger(before) || before < 0) throw new TypeError('before must be unix seconds');
    const subjectEntryId = await this.#append({ kind: 'sub', value: accountId, before, expiresAt: this.#expiresAt(Math.max(before, nowSecondsCeil(this.#now()))) });
    const denylistIds = [...grantEntryIds, subjectEntryId];
    await this.#record(actor, 'subject.revoke', { type: 'account', id: accountId }, options, reason, {
      grants: grantIds.length,
      sessions: sessionIds.length,
      before,
      denylistId: subjectEntryId,
    });
    return { accountId, grantIds, sessionsEnded: sessionIds.length, before, denylistIds };
  }

  /**
   * Denylists one access token by `jti`. `expiresAt` (unix seconds, the token's `exp`) keeps the
   * entry no longer than needed; without it the entry lives as long as the longest token could.
   *
   * @example
   * ```ts
   * await revoker.revokeToken(claims.jti, actor, 'leaked in a log', { expiresAt: claims.exp });
   * ```
   */
  async revokeToken(jti: string, actor: Actor, reason?: string, options: RevokeOptions & { expiresAt?: number } = {}): Promise<TokenRevocation> {
    const nowSeconds = nowSecondsCeil(this.#now());
    const longest = this.#expiresAt(nowSeconds);
    const expiresAt = options.expiresAt === undefined ? longest : Math.min(longest, options.expiresAt + DENYLIST_EXPIRY_MARGIN_SECONDS);
    const denylistId = await this.#append({ kind: 'jti', value: jti, expiresAt });
    await this.#record(actor, 'token.revoke', { type: 'token', id: jti }, options, reason, { denylistId });
    return { jti, denylistId };
  }
}
