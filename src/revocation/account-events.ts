// Account changes that must sign the subject out everywhere: a new password (whoever knew the old
// one may hold tokens) and disabling. The account is changed first, so no new login or refresh
// can slip in under the old state, then every grant, session and earlier token is revoked.
import type { Account, AccountStore } from '../accounts/store.ts';
import type { Actor } from './audit.ts';
import type { RevokeOptions, Revoker, SubjectRevocation } from './revoker.ts';

export interface AccountChange {
  account: Account;
  revocation: SubjectRevocation;
}

/**
 * Disables an account and revokes everything it holds.
 *
 * @example
 * ```ts
 * await disableAccount(accounts, revoker, 'alice', { kind: 'operator', id: 'ops' }, 'left the company');
 * ```
 */
export async function disableAccount(accounts: AccountStore, revoker: Revoker, username: string, actor: Actor, reason?: string, options: RevokeOptions = {}): Promise<AccountChange> {
  const account = await accounts.setDisabled(username, true);
  const revocation = await revoker.revokeSubject(account.id, actor, reason ?? 'account disabled', { ...options, source: options.source ?? 'account_disabled' });
  return { account, revocation };
}

/**
 * Sets a new password and revokes every grant, session and access token issued before it.
 *
 * @example
 * ```ts
 * await changePassword(accounts, revoker, 'alice', newPassword, { kind: 'account', id: alice.id });
 * ```
 */
export async function changePassword(accounts: AccountStore, revoker: Revoker, username: string, password: string, actor: Actor, options: RevokeOptions = {}): Promise<AccountChange> {
  const account = await accounts.setPassword(username, password);
  const revocation = await revoker.revokeSubject(account.id, actor, 'password changed', { ...options, source: options.source ?? 'password_change' });
  return { account, revocation };
}
