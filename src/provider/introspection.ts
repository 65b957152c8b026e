// RFC 7662 introspection is for confidential clients (resource servers) only: a public client
// cannot keep a secret, so anyone could use its identity to probe tokens.
import type { Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';

// Declared apart so `enabled` is a plain boolean, which the feature's discriminated typing expects.
export const introspection: { enabled: boolean; allowedPolicy: (ctx: KoaContextWithOIDC, client: { clientAuthMethod: string }) => boolean } = {
  enabled: true,
  allowedPolicy: (_ctx, client) => client.clientAuthMethod !== 'none',
};

/**
 * oidc-provider lets a public client through client authentication (method `none`) and the
 * policy above only turns its answers into `active: false`. RFC 7662 §2.1 asks for authentication,
 * so the answer becomes 401 invalid_client, whatever token was presented (no oracle either way).
 */
export const publicClientsCannotIntrospect: Middleware = async (ctx, next) => {
  await next();
  const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC['oidc'] | undefined;
  if (oidc?.route !== 'introspection' || oidc.client?.clientAuthMethod !== 'none') return;
  ctx.status = 401;
  ctx.body = { error: 'invalid_client', error_description: 'introspection requires an authenticated confidential client' };
};
