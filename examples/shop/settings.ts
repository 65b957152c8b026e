// The demo's fixed names: each microservice's resource indicator (RFC 8707; it becomes the `aud`
// of the access tokens it accepts) and scope, and the OAuth clients. Ports and hosts vary; these do not.

export interface ServiceIdentity {
  /** Resource indicator: a stable name for the service, not its address. */
  readonly resource: string;
  /** The scope its one route requires. */
  readonly scope: string;
  /** What the consent page tells the user. */
  readonly description: string;
}

export const ORDERS: ServiceIdentity = { resource: 'https://orders.shop.example', scope: 'orders:read', description: 'See your orders' };
export const PROFILE: ServiceIdentity = { resource: 'https://profile.shop.example', scope: 'profile:read', description: 'See your shop profile' };

/** The shell's public client (Authorization Code + PKCE, no secret). */
export const SHELL_CLIENT_ID = 'shop-shell';
/** A client_credentials client allowed to call the admin API (to revoke grants). */
export const ADMIN_CLIENT_ID = 'shop-admin';
/** Portcullis' admin API resource and scope. */
export const ADMIN_RESOURCE = 'urn:portcullis:admin';
export const ADMIN_SCOPE = 'admin';
