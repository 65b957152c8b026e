// Accounts: list, read, create, disable (which revokes everything the account holds), enable.
import { z } from 'zod';
import { AccountError, MIN_PASSWORD_LENGTH, type Account, type AccountStore } from '../../accounts/store.ts';
import { disableAccount } from '../../revocation/account-events.ts';
import type { Revoker } from '../../revocation/revoker.ts';
import { AdminError } from '../errors.ts';
import { defineRoute, type AdminRoute } from '../route.ts';
import { accountIdParams, reasonBody } from '../schemas.ts';

export interface AccountView {
  id: string;
  username: string;
  name: string | null;
  email: string | null;
  emailVerified: boolean;
  disabled: boolean;
  admin: boolean;
  createdAt: string;
}

export function accountView(account: Account): AccountView {
  return {
    id: account.id,
    username: account.username,
    name: account.name ?? null,
    email: account.email ?? null,
    emailVerified: account.emailVerified,
    disabled: account.disabled,
    admin: account.admin,
    createdAt: new Date(account.createdAt).toISOString(),
  };
}

export async function requireAccount(accounts: AccountStore, accountId: string): Promise<Account> {
  const account = await accounts.findById(accountId);
  if (!account) throw new AdminError('ERR_ADMIN_NOT_FOUND', `no account ${accountId}`);
  return account;
}

const createBody = z
  .object({
    username: z.string().regex(/^[A-Za-z0-9._@+-]{1,64}$/, '1-64 characters of letters, digits and . _ @ + -'),
    password: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(254).optional(),
    admin: z.boolean().optional(),
  })
  .strict();

const accountTarget = (params: Record<string, string>) => ({ type: 'account', id: params.accountId ?? '' });

export function accountRoutes(accounts: AccountStore, revoker: Revoker): AdminRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/accounts',
      action: 'account.list',
      handler: async () => {
        const list = await accounts.list();
        return { body: { accounts: list.map(accountView) }, details: { count: list.length } };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/accounts',
      action: 'account.create',
      body: createBody,
      handler: async ({ body }) => {
        try {
          const account = await accounts.create(body);
          return {
            status: 201,
            headers: { Location: `/admin/v1/accounts/${account.id}` },
            body: accountView(account),
            target: { type: 'account', id: account.id },
            details: { username: account.username, admin: account.admin },
          };
        } catch (error) {
          if (error instanceof AccountError && error.code === 'ERR_ACCOUNT_EXISTS') throw new AdminError('ERR_ADMIN_CONFLICT', `username ${body.username} is taken`);
          if (error instanceof AccountError && error.code === 'ERR_ACCOUNT_INVALID') {
            throw new AdminError('ERR_ADMIN_VALIDATION', 'the request is invalid', { details: [{ path: `body.${error.message.split(':')[0]}`, message: error.message }] });
          }
          throw error;
        }
      },
    }),

    defineRoute({
      method: 'get',
      path: '/accounts/:accountId',
      action: 'account.read',
      params: accountIdParams,
      target: accountTarget,
      handler: async ({ params }) => ({ body: accountView(await requireAccount(accounts, params.accountId)) }),
    }),

    defineRoute({
      method: 'post',
      path: '/accounts/:accountId/disable',
      action: 'account.disable',
      params: accountIdParams,
      body: reasonBody,
      target: accountTarget,
      handler: async ({ params, body, actor, origin }) => {
        const account = await requireAccount(accounts, params.accountId);
        const { account: disabled, revocation } = await disableAccount(accounts, revoker, account.username, actor, body.reason, { origin, audit: false, source: 'admin' });
        return {
          body: { account: accountView(disabled), revoked: { grants: revocation.grantIds, sessions: revocation.sessionsEnded, before: revocation.before } },
          reason: body.reason,
          details: { grants: revocation.grantIds.length, sessions: revocation.sessionsEnded, before: revocation.before, denylistIds: revocation.denylistIds },
        };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/accounts/:accountId/enable',
      action: 'account.enable',
      params: accountIdParams,
      body: reasonBody,
      target: accountTarget,
      handler: async ({ params, body }) => {
        const account = await requireAccount(accounts, params.accountId);
        return { body: accountView(await accounts.setDisabled(account.username, false)), reason: body.reason };
      },
    }),
  ];
}
