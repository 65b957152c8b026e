// The configuration schema: every option, its default and its documentation in one place.
// README's configuration table is written from these descriptions.
import { z } from 'zod';

const seconds = (max: number, min = 0) => z.number().int().min(min).max(max);

export const refreshPolicySchema = z
  .object({
    rotate: z.boolean().describe('Rotate refresh tokens of confidential clients (public clients always rotate).'),
    graceSeconds: seconds(60).describe('How long a rotated refresh token still returns the same successor (0-60 s).'),
    absoluteLifetimeSeconds: seconds(400 * 86_400).describe('Absolute lifetime of a refresh-token family.'),
    idleTimeoutSeconds: seconds(400 * 86_400).describe('A family dies when not refreshed for this long.'),
  })
  .strict();

export const resourceSchema = z
  .object({
    identifier: z.url().describe('Resource indicator (RFC 8707); becomes the access token `aud`.'),
    scopes: z.record(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/), z.string()).describe('scope → human description shown on the consent page.'),
    accessTokenTTLSeconds: seconds(86_400, 1).optional().describe('Access token lifetime for this resource (default ttl.accessTokenSeconds).'),
  })
  .strict();

export const clientSchema = z
  .object({
    client_id: z.string().min(1).regex(/^[A-Za-z0-9._~-]+$/),
    client_name: z.string().optional(),
    client_secret: z.string().min(32).optional().describe('Required for confidential clients; at least 32 characters.'),
    token_endpoint_auth_method: z.enum(['none', 'client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
    redirect_uris: z.array(z.url()).default([]),
    post_logout_redirect_uris: z.array(z.url()).default([]),
    grant_types: z.array(z.enum(['authorization_code', 'refresh_token', 'client_credentials'])).default(['authorization_code', 'refresh_token']),
    response_types: z.array(z.literal('code')).optional(),
    scope: z.string().optional().describe('Space-separated scopes this client may request.'),
    dpop_bound_access_tokens: z.boolean().optional(),
    admin: z.boolean().optional().describe('May obtain tokens for the admin resource (urn:portcullis:admin) and call the admin API. Default false.'),
    refresh: refreshPolicySchema.partial().optional().describe('Per-client refresh-token policy (overrides refreshTokens).'),
  })
  .strict()
  .superRefine((client, ctx) => {
    const confidential = client.token_endpoint_auth_method !== 'none';
    if (confidential && !client.client_secret) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: 'required for confidential clients' });
    }
    if (!confidential && client.client_secret) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: 'public clients (token_endpoint_auth_method none) have no secret' });
    }
    if (!confidential && client.grant_types.includes('client_credentials')) {
      ctx.addIssue({ code: 'custom', path: ['grant_types'], message: 'client_credentials needs a confidential client' });
    }
    if (client.grant_types.includes('authorization_code') && client.redirect_uris.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['redirect_uris'], message: 'required for authorization_code' });
    }
  });

export const configSchema = z
  .object({
    env: z.enum(['development', 'production']).describe('production refuses development defaults (generated keys, in-memory store).'),
    issuer: z.url().describe('Issuer identifier; must be the public URL of the provider.'),
    port: z.number().int().min(0).max(65_535),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    trustProxy: z.boolean().describe('Trust X-Forwarded-* headers (set behind a TLS-terminating proxy).'),
    redis: z
      .object({
        url: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional().describe('Standalone Redis URL; omit for the in-memory development store.'),
        sentinel: z.object({ name: z.string(), sentinels: z.array(z.string()).min(1), password: z.string().optional() }).strict().optional(),
        cluster: z.object({ nodes: z.array(z.string()).min(1) }).strict().optional(),
        keyPrefix: z.string().regex(/^[A-Za-z0-9_-]+$/).describe('Prefix of every key Portcullis writes.'),
      })
      .strict(),
    keys: z
      .object({
        algorithm: z.enum(['ES256', 'RS256', 'EdDSA']).describe('Signing algorithm of generated development keys and of ID/access tokens.'),
        jwksFile: z.string().optional().describe('Path to a private JWKS ({"keys":[...]}) used for signing; required in production.'),
      })
      .strict(),
    cookies: z
      .object({
        keys: z.array(z.string().min(32)).describe('Cookie signing keys, newest first (env COOKIE_KEYS, comma-separated).'),
      })
      .strict(),
    ttl: z
      .object({
        accessTokenSeconds: seconds(86_400, 1),
        idTokenSeconds: seconds(86_400, 1),
        authorizationCodeSeconds: seconds(600, 1),
        clientCredentialsSeconds: seconds(86_400, 1),
        interactionSeconds: seconds(86_400, 1),
        sessionSeconds: seconds(400 * 86_400, 1),
        grantSeconds: seconds(400 * 86_400, 1),
      })
      .strict(),
    refreshTokens: refreshPolicySchema,
    resources: z.array(resourceSchema),
    clients: z.array(clientSchema),
    loginRateLimit: z
      .object({
        perAccount: z.object({ points: z.number().int().min(1), durationSeconds: z.number().int().min(1) }).strict(),
        perIp: z.object({ points: z.number().int().min(1), durationSeconds: z.number().int().min(1) }).strict(),
      })
      .strict(),
    metrics: z
      .object({
        port: z.number().int().min(0).max(65_535).nullable().describe('Port of the Prometheus /metrics listener; null disables it.'),
        host: z.string().describe('Address the metrics listener binds to (keep it internal).'),
      })
      .strict(),
    development: z
      .object({
        seed: z.boolean().describe('Seed a demo client and account on the in-memory store.'),
      })
      .strict(),
  })
  .strict()
  // `when: () => true` runs these cross-field checks even when some fields are invalid, so one
  // start-up error lists every problem; the data may then be partly malformed, hence the guards.
  .superRefine(
    (config, ctx) => {
      const ids = new Set<string>();
      (Array.isArray(config.clients) ? config.clients : []).forEach((client, index) => {
        const id = client?.client_id;
        if (typeof id !== 'string') return;
        if (ids.has(id)) ctx.addIssue({ code: 'custom', path: ['clients', index, 'client_id'], message: 'duplicate client_id' });
        ids.add(id);
      });
      if (config.env === 'production') {
        if (!config.keys?.jwksFile) ctx.addIssue({ code: 'custom', path: ['keys', 'jwksFile'], message: 'required in production' });
        if (!config.cookies?.keys?.length) ctx.addIssue({ code: 'custom', path: ['cookies', 'keys'], message: 'required in production' });
        if (!config.redis?.url && !config.redis?.cluster && !config.redis?.sentinel) {
          ctx.addIssue({ code: 'custom', path: ['redis'], message: 'production needs Redis (url, sentinel or cluster)' });
        }
      }
    },
    { when: () => true },
  );

export type Config = z.infer<typeof configSchema>;
export type ClientConfig = Config['clients'][number];
export type ResourceConfig = Config['resources'][number];
export type RefreshPolicy = Config['refreshTokens'];
