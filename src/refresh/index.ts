// Refresh-token rotation that survives concurrent micro frontends: one rotation per token however
// many requests race, the same answer to all of them within the grace window, reuse after it
// revokes the grant, and a family's Redis footprint stays constant however often it rotates.
//
// Wiring (src/app.ts): the RefreshToken model's adapter comes from here, and install() replaces
// oidc-provider's refresh_token grant with ours (which wraps oidc-provider's own).
import type Provider from 'oidc-provider';
import type { Adapter, KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../observability/logger.ts';
import { translateStoreError } from '../provider/errors.ts';
import type { RedisClient } from '../store/connect.ts';
import type { Keys } from '../store/keys.ts';
import { createRefreshTokenAdapter } from './adapter.ts';
import { FamilyStore } from './family-store.ts';
import { refreshGrantHandler, type GrantRevocationReason, type ReuseEvent } from './handler.ts';
import { bindInternals, overrideRefreshTokenIds } from './oidc-internals.ts';
import { currentStage } from './stage.ts';
import { newFamilyId, RefreshTokenMinter } from './token-value.ts';

export type { GrantRevocationReason, ReuseEvent } from './handler.ts';
export { rotateRefreshToken } from './policy.ts';
export { refreshTokenLifetime } from './lifetime.ts';
export { isRefreshFamilyKey, listGrantFamilies, type FamilyRecord } from './family-store.ts';

export interface RefreshRotationOptions {
  config: Readonly<Config>;
  redis: RedisClient;
  keys: Keys;
  logger: Logger;
  /** Secrets the refresh-token MAC key is derived from (the cookie keys, newest first). */
  secrets: readonly string[];
  /** Revokes every record of a grant in the store (the grant-bound adapter's revokeByGrantId). */
  revokeByGrantId(grantId: string): Promise<void>;
  /**
   * Called when reuse revoked a grant, before the store is touched, so the grant's access tokens
   * can be denylisted. A failure is logged and the revocation goes on.
   */
  onGrantRevoked?: (grantId: string, reason: GrantRevocationReason) => Promise<unknown>;
  /** Clock, epoch ms. Default Date.now. */
  now?: () => number;
}

export interface RefreshRotation {
  /** oidc-provider adapter for the RefreshToken model. */
  adapter: Adapter;
  /** Replaces the provider's refresh_token grant and refresh-token value format. */
  install(provider: Provider): void;
}

/**
 * @example
 * const refresh = createRefreshRotation({ config, redis, keys, logger, secrets: cookieKeys, revokeByGrantId });
 * const provider = createProvider({ ..., adapter: (name) => (name === 'RefreshToken' ? refresh.adapter : other(name)) });
 * refresh.install(provider);
 */
export function createRefreshRotation(options: RefreshRotationOptions): RefreshRotation {
  const { config, logger } = options;
  const store = new FamilyStore(options.redis, options.keys);
  const minter = new RefreshTokenMinter(options.secrets);
  const adapter = createRefreshTokenAdapter({ store, revokeByGrantId: options.revokeByGrantId, ...(options.now ? { now: options.now } : {}) });

  async function revokeGrant(event: ReuseEvent, reason: GrantRevocationReason): Promise<void> {
    // Denylist first: if the store step then fails, the next reuse finds the family and retries.
    if (options.onGrantRevoked) {
      await options.onGrantRevoked(event.grantId, reason).catch((error: unknown) => {
        logger.error({ err: error, grantId: event.grantId }, 'denylisting a grant revoked for refresh-token reuse failed');
      });
    }
    await options.revokeByGrantId(event.grantId);
  }

  return {
    adapter,
    install(provider) {
      const internals = bindInternals(provider);
      overrideRefreshTokenIds(provider, (token) => {
        if (!token.grantId) throw new TypeError('RefreshToken without grantId');
        const stage = currentStage();
        if (stage?.mode === 'rotate' && stage.grantId === token.grantId) return minter.mint(token.grantId, stage.familyId, stage.generation + 1);
        return minter.mint(token.grantId, newFamilyId(), 0);
      });
      const handle = refreshGrantHandler({ config, store, minter, internals, logger, revokeGrant, ...(options.now ? { now: options.now } : {}) });
      // As oidc-provider registers its own: resource indicators are always on here
      // (provider/resources.ts), which adds `resource` and lets it repeat.
      provider.registerGrantType('refresh_token', (ctx: KoaContextWithOIDC) => handle(ctx).catch(translateStoreError), [...internals.parameters, 'resource'], ['resource']);
    },
  };
}
