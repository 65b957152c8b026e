// The revocation side of Portcullis: what the admin API, the refresh-token reuse detector, logout
// and account changes call to take access back.
export { Revoker, type RevokerOptions, type RevokeOptions, type GrantRevocation, type SubjectRevocation, type TokenRevocation } from './revoker.ts';
export { denylistProviderRevocations, type ProviderRevocationOptions } from './provider-events.ts';
export { changePassword, disableAccount, type AccountChange } from './account-events.ts';
export type { Actor, AuditRecord, AuditSink, Origin } from './audit.ts';
export { appendDenylistEntry, DenylistReplicationError, type DenylistEntry } from './denylist.ts';
export { DENYLIST_EXPIRY_MARGIN_SECONDS, longestAccessTokenTtlSeconds } from './lifetime.ts';
