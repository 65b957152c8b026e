// oidc-provider's adapter for the RefreshToken model, on families instead of one record per
// token. Inside a refresh (stage.ts) reads and writes stay in memory until the handler commits;
// outside one, the first token of an authorization starts a family, and introspection or
// revocation look up the current token.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { translateStoreError } from '../provider/errors.ts';
import { GrantRevokedError } from '../store/errors.ts';
import type { FamilyStore } from './family-store.ts';
import { restorePayload, storedPayload } from './payload.ts';
import { currentStage } from './stage.ts';
import { parseRefreshToken, tokenHash } from './token-value.ts';

export interface RefreshTokenAdapterOptions {
  store: FamilyStore;
  /** Revokes everything of a grant (the grant-bound store's one-script revocation). */
  revokeByGrantId(grantId: string): Promise<void>;
  /** Clock, epoch ms. Default Date.now. */
  now?: () => number;
}

/** Store outages become 503 temporarily_unavailable, a revoked grant invalid_grant. */
function translated(adapter: Adapter): Adapter {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(adapter) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = (...args: unknown[]) => method(...args).catch(translateStoreError);
  }
  return wrapped as unknown as Adapter;
}

export function createRefreshTokenAdapter(options: RefreshTokenAdapterOptions): Adapter {
  const { store } = options;
  const now = options.now ?? Date.now;

  return translated({
    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const parts = parseRefreshToken(id);
      if (!parts || parts.grantId !== payload.grantId || typeof payload.clientId !== 'string' || typeof payload.exp !== 'number') {
        throw new TypeError('RefreshToken: not a Portcullis refresh-token value or payload');
      }
      const stage = currentStage();
      if (stage && stage.grantId === parts.grantId && stage.familyId === parts.familyId) {
        if (stage.mode !== 'rotate' || parts.generation !== stage.generation + 1) throw new TypeError('RefreshToken: unexpected save during a refresh');
        stage.successor = { value: id, payload, expiresInSeconds: expiresIn };
        return;
      }
      const created = await store.create(parts, {
        hash: tokenHash(id),
        clientId: payload.clientId,
        generation: parts.generation,
        expiresAt: payload.exp,
        payload: storedPayload(payload),
        nowMs: now(),
        ttlMs: Math.max(1, Math.round(expiresIn * 1000)),
      });
      if (!created) throw new GrantRevokedError(parts.grantId);
    },

    async find(id: string): Promise<AdapterPayload | undefined> {
      const stage = currentStage();
      if (stage?.presented.value === id) return { ...stage.presented.payload, ...(stage.consumed ? { consumed: Math.floor(now() / 1000) } : {}) };
      const parts = parseRefreshToken(id);
      if (!parts) return undefined;
      const family = await store.read(parts);
      // Only the current token resolves; a rotated one reads as unknown (inactive).
      if (!family || family.hash !== tokenHash(id)) return undefined;
      return restorePayload(family.payload, { value: id, grantId: parts.grantId, clientId: family.clientId, generation: family.generation, expiresAt: family.expiresAt });
    },

    async consume(id: string): Promise<void> {
      const stage = currentStage();
      if (stage?.presented.value === id) {
        // The commit (compare-and-swap on this token) is the consumption.
        stage.consumed = true;
        return;
      }
      // Nothing consumes a refresh token outside a refresh; if something did, ending the family
      // is the safe reading of "this token may not be used again".
      const parts = parseRefreshToken(id);
      if (parts) await store.destroy(parts, tokenHash(id));
    },

    async destroy(id: string): Promise<void> {
      const parts = parseRefreshToken(id);
      if (parts) await store.destroy(parts, tokenHash(id));
    },

    revokeByGrantId(grantId: string): Promise<void> {
      return options.revokeByGrantId(grantId);
    },

    async findByUid(): Promise<undefined> {
      return undefined;
    },

    async findByUserCode(): Promise<undefined> {
      return undefined;
    },
  });
}
