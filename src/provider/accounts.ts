// oidc-provider's account hooks: which claims a scope releases, and how `sub` becomes claims.
import type { Account as OidcAccount, KoaContextWithOIDC } from 'oidc-provider';
import type { AccountStore } from '../accounts/store.ts';
import { translateStoreError } from './errors.ts';

export const CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email', 'email_verified'],
};

export function findAccount(accounts: AccountStore) {
  return async (_ctx: KoaContextWithOIDC, sub: string): Promise<OidcAccount | undefined> => {
    const account = await accounts.findById(sub).catch(translateStoreError);
    // A disabled account no longer yields claims or tokens, even from an existing session.
    if (!account || account.disabled) return undefined;
    return {
      accountId: account.id,
      claims: () => ({
        sub: account.id,
        preferred_username: account.username,
        ...(account.name ? { name: account.name } : {}),
        ...(account.email ? { email: account.email, email_verified: account.emailVerified } : {}),
      }),
    };
  };
}
