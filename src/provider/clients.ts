// Turns configured clients into oidc-provider client metadata, and decides CORS: only origins of
// registered browser (public) clients may call token, userinfo and revocation from a page.
import type { Middleware } from 'koa';
import type { ClientMetadata, KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config/schema.ts';

export function clientMetadata(config: Readonly<Config>): ClientMetadata[] {
  return config.clients.map((client) => {
    const { refresh: _refresh, admin: _admin, ...metadata } = client;
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

// The OPTIONS routes of the client-checked endpoints above (introspection is never for pages).
const PREFLIGHT_ROUTES = new Set(['cors.token', 'cors.userinfo', 'cors.revocation', 'cors.introspection']);
const PREFLIGHT_HEADERS = ['Access-Control-Allow-Origin', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers', 'Access-Control-Max-Age'];

/**
 * A preflight names no client, so oidc-provider allows it from any origin and relies on the
 * real request's check. Ours allow only origins some browser client is registered with, so a
 * foreign page is stopped before its request is even sent.
 */
export function corsPreflight(config: Readonly<Config>): Middleware {
  const allowed = new Set([...browserOrigins(config).values()].flatMap((origins) => [...origins]));
  return async (ctx, next) => {
    await next();
    const route = (ctx as KoaContextWithOIDC).oidc?.route as string | undefined;
    if (ctx.method !== 'OPTIONS' || !route || !PREFLIGHT_ROUTES.has(route)) return;
    if (route !== 'cors.introspection' && allowed.has(ctx.get('Origin'))) return;
    for (const header of PREFLIGHT_HEADERS) ctx.remove(header);
  };
}
