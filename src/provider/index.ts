// Builds the oidc-provider instance from our configuration; one topic per imported module.
import Provider, { type Adapter, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config/schema.ts';
import type { AccountStore } from '../accounts/store.ts';
import type { Secrets } from './keys.ts';
import { CLAIMS, findAccount } from './accounts.ts';
import { clientBasedCORS, clientMetadata, corsPreflight } from './clients.ts';
import { renderError } from './errors.ts';
import { introspection, publicClientsCannotIntrospect } from './introspection.ts';
import { logoutSource, postLogoutSuccessSource } from './logout.ts';
import { postOnlyEndpoints } from './post-only.ts';
import { revocationAnswersJson } from './revocation-response.ts';
import { notFound } from './not-found.ts';
import { resourceIndicators } from './resources.ts';
import { revokeGrantPolicy } from './revoke-grant-policy.ts';
import { rotateRefreshToken } from '../refresh/policy.ts';
import { ttl } from './ttl.ts';

export interface ProviderDependencies {
  config: Readonly<Config>;
  secrets: Secrets;
  accounts: AccountStore;
  /** oidc-provider adapter factory; see src/store/adapter.ts. */
  adapter: (name: string) => Adapter;
  /**
   * Runs before oidc-provider deletes anything of a grant it revokes: RFC 7009 revocation of a
   * refresh token, RP-initiated logout, a replayed authorization code. May be called more than
   * once per grant and request.
   */
  beforeGrantRevocation?: (ctx: KoaContextWithOIDC, grantId: string) => Promise<void>;
}

export function buildConfiguration(deps: ProviderDependencies): Configuration {
  const { config, secrets, accounts, adapter } = deps;
  return {
    adapter,
    clients: clientMetadata(config),
    jwks: { keys: secrets.jwks.keys as NonNullable<Configuration['jwks']>['keys'] },
    cookies: {
      keys: secrets.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    findAccount: findAccount(accounts),
    claims: CLAIMS,
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    // PKCE S256 for every client, public or confidential (oidc-provider 9 knows no `plain`).
    pkce: { required: () => true },
    enabledJWA: {
      idTokenSigningAlgValues: [config.keys.algorithm],
      dPoPSigningAlgValues: ['ES256', 'EdDSA', 'RS256', 'PS256'],
    },
    clientDefaults: {
      id_token_signed_response_alg: config.keys.algorithm,
      // Relying parties need auth_time to tell a fresh login (prompt=login, max_age) from a reused session.
      require_auth_time: true,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // @types/oidc-provider ties this feature's type to openid4vci/richAuthorizationRequests
      // variants that do not apply here; the runtime shape is the documented one.
      introspection: introspection as unknown as { enabled?: false },
      // A client may revoke only its own tokens (RFC 7009 §2.1); others are ignored silently.
      revocation: {
        enabled: true,
        allowedPolicy: async (ctx, client, token) => {
          if (token.clientId !== client.clientId) return false;
          // Revoking a refresh token revokes its grant: denylist the grant while the token still
          // exists, so a failed write (503) leaves something to retry.
          if (token.kind === 'RefreshToken' && token.grantId && deps.beforeGrantRevocation) await deps.beforeGrantRevocation(ctx, token.grantId);
          return true;
        },
      },
      userinfo: { enabled: true },
      dPoP: { enabled: true },
      resourceIndicators: resourceIndicators(config),
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    revokeGrantPolicy: revokeGrantPolicy(deps.beforeGrantRevocation),
    ttl: ttl(config),
    issueRefreshToken: (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    // Public clients always rotate, confidential ones per policy; see src/refresh/.
    rotateRefreshToken: rotateRefreshToken(config),
    // Microservices need the grant id to honour grant-wide revocation without calling us.
    extraTokenClaims: (_ctx, token) => ('grantId' in token && token.grantId ? { grant_id: token.grantId } : undefined),
    clientBasedCORS: clientBasedCORS(config),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError,
    conformIdTokenClaims: true,
  };
}

export function createProvider(deps: ProviderDependencies): Provider {
  const provider = new Provider(deps.config.issuer, buildConfiguration(deps));
  provider.proxy = deps.config.trustProxy;
  provider.use(publicClientsCannotIntrospect);
  provider.use(corsPreflight(deps.config));
  provider.use(postOnlyEndpoints(provider));
  provider.use(revocationAnswersJson);
  provider.use(notFound);
  return provider;
}
