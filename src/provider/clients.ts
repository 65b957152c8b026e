// Turns configured clients into oidc-provider client metadata, and decides CORS: only origins of
// registered browser (public) clients may call token, userinfo and revocation from a page.
import type { ClientMetadata, KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config/schema.ts';

export function clientMetadata(config: Readonly<Config>): ClientMetadata[] {
  return config.clients.map((client) => {
    const { refresh: _refresh, ...metadata } = client;
    return {
      ...metadata,
      response_types: metadata.grant_types.includes('authorization_code') ? ['code'] : [],
      id_token_signed_response_alg: config.keys.algorithm,
    } satisfies ClientMetadata;
  });
}

const CORS_ROUTES = new Set(['token', 'userinfo', 'revocation', 'discovery', 'jwks', 'end_session']);

export function browserOrigins(config: Readonly<Config>): Map<string, Set<string>> {
  const origins = new Map<string, Set<string>>();
  for (const client of config.clients) {
    if (client.token_endpoint_auth_method !== 'none') continue;
    origins.set(client.client_id, new Set(client.redirect_uris.map((uri) => new URL(uri).origin)));
  }
  return origins;
}

export function clientBasedCORS(config: Readonly<Config>) {
  const origins = browserOrigins(config);
  return (ctx: KoaContextWithOIDC, origin: string, client: { clientId: string }): boolean => {
    if (!CORS_ROUTES.has(ctx.oidc.route)) return false;
    return origins.get(client.clientId)?.has(origin) ?? false;
  };
}
