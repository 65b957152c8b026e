// The shape of a refresh request, beyond the token: a grace-window request that asks for the same
// thing gets the stored response verbatim; one that asks for another resource, a narrower scope
// or binds another DPoP key must not be handed an access token minted for someone else's ask.
import { createHash } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';

export function requestFingerprint(ctx: KoaContextWithOIDC, dpopThumbprint: string | undefined): string {
  const params = (ctx.oidc.params ?? {}) as Record<string, unknown>;
  const scope = typeof params.scope === 'string' ? params.scope.split(' ').filter(Boolean).sort().join(' ') : null;
  const resource = params.resource === undefined ? null : [params.resource].flat().map(String).sort();
  return createHash('sha256')
    .update(JSON.stringify([scope, resource, dpopThumbprint ?? null]))
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}
