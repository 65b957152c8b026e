// Shared steps of the revocation tests: sign a user in through a client with its own session, read
// the denylist stream as Redis holds it, refresh a token.
import { authorize, type CookieJar } from '../../helpers/login.ts';
import { API, SPA_REDIRECT, WEB_REDIRECT, type RunningPortcullis } from '../../helpers/portcullis.ts';
import { authorizationRequest, jwtPayload, PASSWORD, postForm, USERNAME } from '../conformance/support.ts';

export type UserClient = 'web' | 'spa';

export interface Login {
  access_token: string;
  refresh_token?: string;
  id_token: string;
  jar: CookieJar;
  grantId: string;
}

/** Signs the suite's user in through `client` in a session of its own and exchanges the code. */
export async function login(op: RunningPortcullis, client: UserClient, options: { scope?: string; username?: string; password?: string } = {}): Promise<Login> {
  const request = await authorizationRequest(op, client, { scope: options.scope ?? 'openid offline_access orders:read', resource: API, prompt: 'consent' });
  const { callback, jar } = await authorize(op.issuer, request.url, { username: options.username ?? USERNAME, password: options.password ?? PASSWORD });
  const response = await postForm(op, '/token', client, {
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code') as string,
    redirect_uri: client === 'web' ? WEB_REDIRECT : SPA_REDIRECT,
    code_verifier: request.pkce.verifier,
  });
  const body = (await response.json()) as Omit<Login, 'jar' | 'grantId'>;
  if (response.status !== 200) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
  return { ...body, jar, grantId: jwtPayload(body.access_token).grant_id as string };
}

export async function refresh(op: RunningPortcullis, client: UserClient, refreshToken: string): Promise<{ status: number; body: Record<string, string> }> {
  const response = await postForm(op, '/token', client, { grant_type: 'refresh_token', refresh_token: refreshToken });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

export interface StreamEntry {
  id: string;
  kind?: string;
  value?: string;
  expires_at?: string;
  before?: string;
}

/** The denylist stream as Redis holds it right now. */
export async function denylist(op: RunningPortcullis): Promise<StreamEntry[]> {
  const entries = (await op.redis.xrange(op.keys.denylistStream(), '-', '+')) as [string, string[]][];
  return entries.map(([id, fields]): StreamEntry => {
    const entry: Record<string, string> & StreamEntry = { id };
    for (let i = 0; i + 1 < fields.length; i += 2) entry[fields[i] as string] = fields[i + 1] as string;
    return entry;
  });
}
