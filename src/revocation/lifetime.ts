// How long a denylist entry must live: as long as the longest access token it could still match.
import type { Config } from '../config/schema.ts';

/**
 * Seconds added to every entry's lifetime. Verifiers accept a token a few seconds past `exp`
 * (clock tolerance, 5 s by default) and hosts' clocks drift; a minute covers both with room, and
 * costs only a minute more of memory per entry.
 */
export const DENYLIST_EXPIRY_MARGIN_SECONDS = 60;

/** The longest access-token lifetime any resource, user grant or client_credentials token can get. */
export function longestAccessTokenTtlSeconds(config: Readonly<Config>): number {
  const perResource = config.resources.map((resource) => resource.accessTokenTTLSeconds ?? config.ttl.accessTokenSeconds);
  return Math.max(config.ttl.accessTokenSeconds, config.ttl.clientCredentialsSeconds, ...perResource);
}

/** Unix seconds, rounded up: an instant no token issued so far can be at or after. */
export function nowSecondsCeil(nowMs: number): number {
  return Math.floor(nowMs / 1000) + 1;
}
