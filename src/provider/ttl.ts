// Token and record lifetimes (seconds). Refresh-token lifetimes follow the client's policy.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Config, RefreshPolicy } from '../config/schema.ts';
import { refreshTokenLifetime } from '../refresh/lifetime.ts';

export function refreshPolicyFor(config: Readonly<Config>, clientId: string | undefined): RefreshPolicy {
  const client = config.clients.find((c) => c.client_id === clientId);
  return { ...config.refreshTokens, ...client?.refresh };
}

export function ttl(config: Readonly<Config>) {
  const t = config.ttl;
  return {
    AccessToken: t.accessTokenSeconds,
    AuthorizationCode: t.authorizationCodeSeconds,
    ClientCredentials: t.clientCredentialsSeconds,
    IdToken: t.idTokenSeconds,
    Interaction: t.interactionSeconds,
    Session: t.sessionSeconds,
    Grant: t.grantSeconds,
    // Idle timeout, never past the family's absolute end (counted from its first token, iiat).
    RefreshToken: (_ctx: KoaContextWithOIDC, token: { iiat?: number }, client: { clientId: string }) => {
      const now = Math.floor(Date.now() / 1000);
      return refreshTokenLifetime(refreshPolicyFor(config, client.clientId), token.iiat ?? now, now);
    },
  };
}
