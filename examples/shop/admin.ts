// Takes a user's access back through Portcullis' admin API, as an operator's tool would:
// a client_credentials token for the admin resource, then list the account's grants and revoke
// each. Every revocation answers only once its denylist entry is in Redis.
import { ADMIN_RESOURCE, ADMIN_SCOPE } from './settings.ts';

export interface AdminClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface RevokedGrant {
  grantId: string;
  clientId: string | null;
  /** Id of the denylist stream entry; services have honoured the revocation once they read past it. */
  denylistId: string;
}

async function json<T>(response: Response, what: string): Promise<T> {
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(`${what}: ${response.status} ${JSON.stringify(body)}`);
  return body as T;
}

export async function adminToken(admin: AdminClient): Promise<string> {
  const response = await fetch(new URL('/token', admin.issuer), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(admin.clientId)}:${encodeURIComponent(admin.clientSecret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: ADMIN_RESOURCE, scope: ADMIN_SCOPE }),
  });
  return (await json<{ access_token: string }>(response, 'admin token')).access_token;
}

export async function revokeAccountGrants(admin: AdminClient, accountId: string, reason: string): Promise<RevokedGrant[]> {
  const headers = { authorization: `Bearer ${await adminToken(admin)}`, 'content-type': 'application/json' };
  const api = (path: string) => new URL(`/admin/v1${path}`, admin.issuer);
  const { grants } = await json<{ grants: { id: string }[] }>(await fetch(api(`/accounts/${encodeURIComponent(accountId)}/grants`), { headers }), 'list grants');
  const revoked: RevokedGrant[] = [];
  for (const grant of grants) {
    const response = await fetch(api(`/grants/${encodeURIComponent(grant.id)}/revoke`), { method: 'POST', headers, body: JSON.stringify({ reason }) });
    revoked.push(await json<RevokedGrant>(response, `revoke grant ${grant.id}`));
  }
  return revoked;
}
