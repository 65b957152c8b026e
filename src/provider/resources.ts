// Resource indicators (RFC 8707): each configured resource server gets RFC 9068 JWT access
// tokens whose audience is its identifier and whose lifetime is its own.
import { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import type { Config } from '../config/schema.ts';

/** The admin API's resource indicator (src/admin). */
export const ADMIN_RESOURCE = 'urn:portcullis:admin';

export function resourceIndicators(config: Readonly<Config>) {
  const byIdentifier = new Map(config.resources.map((resource) => [resource.identifier, resource]));
  const adminClients = new Set(config.clients.filter((client) => client.admin).map((client) => client.client_id));
  return {
    enabled: true,
    // No resource requested → no default audience; the access token is then for userinfo only.
    defaultResource: (_ctx: KoaContextWithOIDC, _client: unknown, oneOf?: readonly string[]) => oneOf?.[0] ?? undefined,
    useGrantedResource: () => true,
    getResourceServerInfo(_ctx: KoaContextWithOIDC, identifier: string, client: { clientId: string }): ResourceServer {
      const resource = byIdentifier.get(identifier);
      if (!resource) throw new errors.InvalidTarget();
      // The admin API's tokens go only to clients configured `admin: true` (src/admin/README.md).
      if (identifier === ADMIN_RESOURCE && !adminClients.has(client.clientId)) throw new errors.InvalidTarget();
      return {
        scope: Object.keys(resource.scopes).join(' '),
        audience: resource.identifier,
        accessTokenTTL: resource.accessTokenTTLSeconds ?? config.ttl.accessTokenSeconds,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: config.keys.algorithm } },
      };
    },
  };
}

/** Every scope a resource server declares, for discovery's scopes_supported and consent wording. */
export function resourceScopeDescriptions(config: Readonly<Config>): Map<string, string> {
  const descriptions = new Map<string, string>();
  for (const resource of config.resources) {
    for (const [scope, description] of Object.entries(resource.scopes)) descriptions.set(scope, description);
  }
  return descriptions;
}
