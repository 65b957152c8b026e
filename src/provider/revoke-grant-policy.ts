// oidc-provider asks `revokeGrantPolicy` before each grant it revokes and deletes nothing of the
// grant until it answers, but it names no grant. Logout and authorization-code replay revoke
// grants this way; working out which ones lets the denylist entry be written first, so a failed
// write answers 503 with nothing deleted and a retry completes the revocation. (RFC 7009 deletes
// the token before this runs; its hook is the revocation allowedPolicy, see index.ts.)
import type { KoaContextWithOIDC } from 'oidc-provider';
import { grantsEndedByLogout } from './logout.ts';

type BeforeGrantRevocation = (ctx: KoaContextWithOIDC, grantId: string) => Promise<void>;

/** The grant a replayed authorization code is about to revoke (oidc-provider's consumeGrantSource). */
async function grantOfReplayedCode(ctx: KoaContextWithOIDC): Promise<string[]> {
  const code = ctx.oidc.params?.code;
  if (ctx.oidc.params?.grant_type !== 'authorization_code' || typeof code !== 'string') return [];
  const found = await ctx.oidc.provider.AuthorizationCode.find(code, { ignoreExpiration: true });
  return found?.grantId ? [found.grantId] : [];
}

async function grantsAboutToBeRevoked(ctx: KoaContextWithOIDC): Promise<string[]> {
  if (ctx.oidc.route === 'end_session_confirm') return grantsEndedByLogout(ctx);
  if (ctx.oidc.route === 'token') return grantOfReplayedCode(ctx);
  return [];
}

/** oidc-provider's `revokeGrantPolicy`, calling `before` for each grant it is about to revoke. */
export function revokeGrantPolicy(before: BeforeGrantRevocation | undefined): (ctx: KoaContextWithOIDC) => Promise<boolean> {
  // Logout asks once per grant it revokes, and every answer covers all of them: work them out
  // and write them once per request.
  const prepared = new WeakMap<KoaContextWithOIDC, Promise<unknown>>();
  return async (ctx: KoaContextWithOIDC): Promise<boolean> => {
    // oidc-provider's default: revoking an access token leaves its grant alone.
    if (ctx.oidc.route === 'revocation' && ctx.oidc.entities.AccessToken) return false;
    if (before) {
      const writes = prepared.get(ctx) ?? grantsAboutToBeRevoked(ctx).then((grantIds) => Promise.all(grantIds.map((grantId) => before(ctx, grantId))));
      prepared.set(ctx, writes);
      await writes;
    }
    return true;
  };
}
