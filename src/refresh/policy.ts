// Which clients rotate: public clients always (RFC 9700 §4.14.2, they cannot keep a secret, so a
// leaked refresh token must go stale), confidential ones as configured.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config/schema.ts';
import { refreshPolicyFor } from '../provider/ttl.ts';
import { currentStage } from './stage.ts';

export function rotates(config: Readonly<Config>, client: { clientId: string; clientAuthMethod?: string | undefined }): boolean {
  return client.clientAuthMethod === 'none' || refreshPolicyFor(config, client.clientId).rotate;
}

/** oidc-provider's `rotateRefreshToken`: our policy, except while re-answering within a grace window. */
export function rotateRefreshToken(config: Readonly<Config>) {
  return (ctx: KoaContextWithOIDC): boolean => {
    const stage = currentStage();
    if (stage) return stage.mode === 'rotate';
    const client = ctx.oidc.client;
    return !client || rotates(config, client);
  };
}
