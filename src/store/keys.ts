// EVERY Redis key Portcullis uses is built here; no other module concatenates key strings.
//
// Shape: `<prefix>:<space>:{<tag>}[:<rest>]`. The `{tag}` is the Redis Cluster hash tag: keys one
// atomic operation touches share it. Every artifact of a grant is tagged with the grant id, so
// revoking a grant or rotating one of its refresh tokens is one Lua call on one slot.

/** oidc-provider models whose records belong to a grant and therefore live in the grant's slot. */
const GRANT_BOUND_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

export function isGrantBoundModel(model: string): boolean {
  return GRANT_BOUND_MODELS.has(model);
}

function assertPart(part: string): string {
  // Braces would change the hash slot; colons would make keys ambiguous.
  if (part.length === 0 || /[{}:\s]/.test(part)) throw new TypeError(`invalid key part: ${JSON.stringify(part)}`);
  return part;
}

export interface Keys {
  readonly prefix: string;
  /** A model record not owned by a grant (Session, Interaction, Grant itself, ...). */
  record(model: string, id: string): string;
  /** A grant-owned record, in the grant's slot. */
  grantRecord(model: string, grantId: string, id: string): string;
  /** Pointer from a grant-owned record's id to its grant id (the id alone does not name a slot). */
  grantPointer(model: string, id: string): string;
  /** Set of the keys of every record of a grant; lives as long as its longest-lived member. */
  grantIndex(grantId: string): string;
  /** Marks a revoked grant so writes racing the revocation are refused. */
  grantRevoked(grantId: string): string;
  /** Secondary lookup (Session by uid, DeviceCode by userCode) → record id. */
  lookup(model: string, field: string, value: string): string;
  /** A refresh-token family (current token hash, payload, tombstone of the previous one); see src/refresh/. */
  refreshFamily(grantId: string, familyId: string): string;
  /** The sealed response of a family's latest rotation, kept for the grace window. */
  refreshGrace(grantId: string, familyId: string): string;
  /** Short lock serializing the refreshes of one family. */
  refreshLock(grantId: string, familyId: string): string;
  /** An account by its id; `accountByUsername` maps the login name to it. */
  account(accountId: string): string;
  accountByUsername(username: string): string;
  /** Set of every account id (accounts never expire, so the set is bounded by the accounts). */
  accountIds(): string;
  /** Grants of one account: sorted set, member grant id, score its expiry in ms (trimmed on write). */
  accountGrants(accountId: string): string;
  /** Sessions of one account: sorted set, member session id, score its expiry in ms. */
  accountSessions(accountId: string): string;
  /** The denylist: one append-only stream, the snapshot and the feed that verifiers follow. */
  denylistStream(): string;
  /** The admin audit log: one append-only stream, capped by length (see src/admin/audit-log.ts). */
  auditStream(): string;
  /** Development signing and cookie keys, persisted so restarts keep tokens and sessions valid. */
  developmentSecrets(): string;
  /** Rate limiter key prefix (rate-limiter-flexible appends its own key). */
  rateLimit(name: string): string;
}

export function createKeys(prefix = 'portcullis'): Keys {
  assertPart(prefix);
  const p = prefix;
  return {
    prefix,
    record: (model, id) => `${p}:${assertPart(model)}:{${assertPart(id)}}`,
    grantRecord: (model, grantId, id) => `${p}:${assertPart(model)}:{${assertPart(grantId)}}:${assertPart(id)}`,
    grantPointer: (model, id) => `${p}:${assertPart(model)}:ptr:{${assertPart(id)}}`,
    grantIndex: (grantId) => `${p}:grant-index:{${assertPart(grantId)}}`,
    grantRevoked: (grantId) => `${p}:grant-revoked:{${assertPart(grantId)}}`,
    lookup: (model, field, value) => `${p}:${assertPart(model)}:by-${assertPart(field)}:{${assertPart(value)}}`,
    refreshFamily: (grantId, familyId) => `${p}:refresh:{${assertPart(grantId)}}:${assertPart(familyId)}`,
    refreshGrace: (grantId, familyId) => `${p}:refresh-grace:{${assertPart(grantId)}}:${assertPart(familyId)}`,
    refreshLock: (grantId, familyId) => `${p}:refresh-lock:{${assertPart(grantId)}}:${assertPart(familyId)}`,
    account: (accountId) => `${p}:account:{${assertPart(accountId)}}`,
    accountByUsername: (username) => `${p}:account-name:{${encodeURIComponent(username.toLowerCase())}}`,
    accountIds: () => `${p}:account-ids`,
    accountGrants: (accountId) => `${p}:account-grants:{${assertPart(accountId)}}`,
    accountSessions: (accountId) => `${p}:account-sessions:{${assertPart(accountId)}}`,
    denylistStream: () => `${p}:denylist:{stream}`,
    auditStream: () => `${p}:audit:{stream}`,
    developmentSecrets: () => `${p}:dev-secrets`,
    rateLimit: (name) => `${p}:rl:${assertPart(name)}`,
  };
}
