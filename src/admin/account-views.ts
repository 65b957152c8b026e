// A user's grants as the admin API shows them. Reads the Grant record and its refresh tokens
// (all in the grant's own slot, one single-key read each, so this is cluster-safe).
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import { isRefreshFamilyKey, listGrantFamilies } from '../refresh/index.ts';
import { listAccountGrants } from '../store/account-index.ts';
import type { RedisClient } from '../store/connect.ts';
import { guardStore } from '../store/errors.ts';
import type { Keys } from '../store/keys.ts';

export interface GrantView {
  id: string;
  clientId: string;
  clientName: string | null;
  /** OpenID scopes granted (space-separated), e.g. `openid offline_access`. */
  scope: string;
  /** Resource indicator → scopes granted for it (space-separated). */
  resources: Record<string, string>;
  createdAt: string | null;
  expiresAt: string | null;
  /**
   * When a refresh token of this grant was last rotated (the newest rotated token's issue time);
   * null if never refreshed, or when the client does not rotate (nothing is stored then).
   */
  lastRefreshedAt: string | null;
  /** Live refresh tokens held by the grant. */
  refreshTokens: number;
}

interface StoredPayload {
  kind?: string;
  accountId?: string;
  clientId?: string;
  openid?: { scope?: string };
  resources?: Record<string, string>;
  iat?: number;
  exp?: number;
  rotations?: number;
  consumed?: unknown;
}

function iso(seconds: number | undefined): string | null {
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;
}

function parse(json: string | null): StoredPayload | undefined {
  return json ? (JSON.parse(json) as StoredPayload) : undefined;
}

// A grant's refresh tokens come in two layouts: oidc-provider records (`payload` JSON with
// `kind` and `rotations`) and src/refresh/ families (read through its listGrantFamilies: one live
// token per family, its generation and when it was issued).
async function refreshActivity(redis: RedisClient, keys: Keys, grantId: string): Promise<{ lastRefreshedAt: number | undefined; live: number }> {
  const families = await listGrantFamilies(redis, keys, grantId);
  const members = (await redis.smembers(keys.grantIndex(grantId))).filter((key) => !isRefreshFamilyKey(keys, grantId, key));
  const records = await Promise.all(members.map((key) => redis.hgetall(key)));
  let lastRefreshedMs: number | undefined;
  let live = families.length;
  const seen = (ms: number) => {
    lastRefreshedMs = Math.max(lastRefreshedMs ?? 0, ms);
  };
  for (const family of families) if (family.generation > 0) seen(family.issuedAt);
  for (const fields of records) {
    const payload = parse(fields.payload ?? null);
    if (payload?.kind !== 'RefreshToken') continue;
    if (fields.consumed === undefined) live += 1;
    if ((payload.rotations ?? 0) > 0 && typeof payload.iat === 'number') seen(payload.iat * 1000);
  }
  return { lastRefreshedAt: lastRefreshedMs === undefined ? undefined : Math.floor(lastRefreshedMs / 1000), live };
}

/** The grant record's owner and client, or undefined when there is no such (live) grant. */
export async function findGrant(redis: RedisClient, keys: Keys, grantId: string): Promise<{ accountId?: string | undefined; clientId?: string | undefined } | undefined> {
  const payload = await guardStore(async () => parse(await redis.hget(keys.record('Grant', grantId), 'payload')));
  return payload ? { accountId: payload.accountId, clientId: payload.clientId } : undefined;
}

/** Newest first. */
export async function listGrantViews(redis: RedisClient, keys: Keys, config: Readonly<Config>, accountId: string): Promise<GrantView[]> {
  return guardStore(async () => {
    const ids = await listAccountGrants(redis, keys, accountId);
    const names = new Map(config.clients.map((client) => [client.client_id, client.client_name ?? null]));
    const views = await Promise.all(
      ids.map(async (id): Promise<GrantView | undefined> => {
        const grant = parse(await redis.hget(keys.record('Grant', id), 'payload'));
        if (!grant || grant.accountId !== accountId) return undefined;
        const activity = await refreshActivity(redis, keys, id);
        const clientId = grant.clientId ?? '';
        return {
          id,
          clientId,
          clientName: names.get(clientId) ?? null,
          scope: grant.openid?.scope ?? '',
          resources: grant.resources ?? {},
          createdAt: iso(grant.iat),
          expiresAt: iso(grant.exp),
          lastRefreshedAt: iso(activity.lastRefreshedAt),
          refreshTokens: activity.live,
        };
      }),
    );
    return views.filter((view): view is GrantView => view !== undefined).sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  });
}

export interface SessionView {
  /** An opaque handle (a hash of the session id: the id itself is the session cookie's value). */
  id: string;
  loginAt: string | null;
  expiresAt: string | null;
  /** Clients the user signed in to within this session, with the grant each holds. */
  clients: { clientId: string; grantId: string | null }[];
  amr: string[];
  acr: string | null;
}

interface StoredSession {
  accountId?: string;
  loginTs?: number;
  exp?: number;
  amr?: string[];
  acr?: string;
  authorizations?: Record<string, { grantId?: string }>;
}

/** A session's public handle: never the session id itself, which would let an admin ride it. */
export function sessionHandle(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url').slice(0, 22);
}

/** Newest login first. */
export async function listSessionViews(redis: RedisClient, keys: Keys, sessionIds: string[], accountId: string): Promise<SessionView[]> {
  return guardStore(async () => {
    const views = await Promise.all(
      sessionIds.map(async (id): Promise<SessionView | undefined> => {
        const json = await redis.hget(keys.record('Session', id), 'payload');
        const session = json ? (JSON.parse(json) as StoredSession) : undefined;
        if (!session || session.accountId !== accountId) return undefined;
        return {
          id: sessionHandle(id),
          loginAt: iso(session.loginTs),
          expiresAt: iso(session.exp),
          clients: Object.entries(session.authorizations ?? {}).map(([clientId, { grantId }]) => ({ clientId, grantId: grantId ?? null })),
          amr: session.amr ?? [],
          acr: session.acr ?? null,
        };
      }),
    );
    return views.filter((view): view is SessionView => view !== undefined).sort((a, b) => (b.loginAt ?? '').localeCompare(a.loginAt ?? ''));
  });
}
