// A user's grants and sessions: list them, revoke one grant, or revoke everything the user holds.
// Revocations answer only after their denylist entries are acknowledged by Redis.
import type { AccountStore } from '../../accounts/store.ts';
import type { Config } from '../../config/schema.ts';
import type { Revoker } from '../../revocation/revoker.ts';
import { listAccountSessions } from '../../store/account-index.ts';
import type { RedisClient } from '../../store/connect.ts';
import type { Keys } from '../../store/keys.ts';
import { findGrant, listGrantViews, listSessionViews } from '../account-views.ts';
import { AdminError } from '../errors.ts';
import { defineRoute, type AdminRoute } from '../route.ts';
import { accountIdParams, grantIdParams, reasonBody } from '../schemas.ts';
import { requireAccount } from './accounts.ts';

export interface GrantRouteDependencies {
  redis: RedisClient;
  keys: Keys;
  config: Readonly<Config>;
  accounts: AccountStore;
  revoker: Revoker;
}

const accountTarget = (params: Record<string, string>) => ({ type: 'account', id: params.accountId ?? '' });

export function grantRoutes({ redis, keys, config, accounts, revoker }: GrantRouteDependencies): AdminRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/accounts/:accountId/grants',
      action: 'account.grants.list',
      params: accountIdParams,
      target: accountTarget,
      handler: async ({ params }) => {
        await requireAccount(accounts, params.accountId);
        const grants = await listGrantViews(redis, keys, config, params.accountId);
        return { body: { grants }, details: { count: grants.length } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/accounts/:accountId/sessions',
      action: 'account.sessions.list',
      params: accountIdParams,
      target: accountTarget,
      handler: async ({ params }) => {
        await requireAccount(accounts, params.accountId);
        const sessions = await listSessionViews(redis, keys, await listAccountSessions(redis, keys, params.accountId), params.accountId);
        return { body: { sessions }, details: { count: sessions.length } };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/accounts/:accountId/revoke',
      action: 'subject.revoke',
      params: accountIdParams,
      body: reasonBody,
      target: accountTarget,
      handler: async ({ params, body, actor, origin }) => {
        await requireAccount(accounts, params.accountId);
        const revocation = await revoker.revokeSubject(params.accountId, actor, body.reason, { origin, audit: false, source: 'admin' });
        return {
          body: { accountId: params.accountId, grants: revocation.grantIds, sessions: revocation.sessionsEnded, before: revocation.before, denylistIds: revocation.denylistIds },
          reason: body.reason,
          details: { grants: revocation.grantIds.length, sessions: revocation.sessionsEnded, before: revocation.before, denylistIds: revocation.denylistIds },
        };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/grants/:grantId/revoke',
      action: 'grant.revoke',
      params: grantIdParams,
      body: reasonBody,
      target: (params) => ({ type: 'grant', id: params.grantId ?? '' }),
      handler: async ({ params, body, actor, origin }) => {
        const grant = await findGrant(redis, keys, params.grantId);
        if (!grant) throw new AdminError('ERR_ADMIN_NOT_FOUND', `no grant ${params.grantId}`);
        const revocation = await revoker.revokeGrant(params.grantId, actor, body.reason, { origin, audit: false, source: 'admin' });
        return {
          body: { grantId: revocation.grantId, accountId: revocation.accountId ?? null, clientId: revocation.clientId ?? null, denylistId: revocation.denylistId },
          reason: body.reason,
          details: { denylistId: revocation.denylistId, accountId: revocation.accountId, clientId: revocation.clientId },
        };
      },
    }),
  ];
}
