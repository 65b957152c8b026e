// Revoke one access token by its `jti` (a leaked token, or an admin's own token after use).
import { z } from 'zod';
import type { Revoker } from '../../revocation/revoker.ts';
import { defineRoute, type AdminRoute } from '../route.ts';
import { reason } from '../schemas.ts';

const body = z
  .object({
    jti: z.string().min(1).max(256),
    /** The token's `exp` (unix seconds), so the entry lives no longer than the token. */
    expiresAt: z.number().int().min(0).optional(),
    reason,
  })
  .strict();

export function tokenRoutes(revoker: Revoker): AdminRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/tokens/revoke',
      action: 'token.revoke',
      body,
      handler: async ({ body: input, actor, origin }) => {
        const revocation = await revoker.revokeToken(input.jti, actor, input.reason, { origin, audit: false, source: 'admin', ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }) });
        return { body: revocation, target: { type: 'token', id: input.jti }, reason: input.reason, details: { denylistId: revocation.denylistId } };
      },
    }),
  ];
}
