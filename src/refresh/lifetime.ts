// How long a refresh token lives: the idle timeout slides with every refresh, the family's
// absolute lifetime (counted from the first token, `iiat`) never moves.
import type { RefreshPolicy } from '../config/schema.ts';

/**
 * Seconds the token issued now may live. At least 1: oidc-provider refuses a zero lifetime, and
 * a family this close to its end was checked unexpired a moment ago, so one second is the most
 * the absolute lifetime can be overrun by.
 */
export function refreshTokenLifetime(policy: Pick<RefreshPolicy, 'absoluteLifetimeSeconds' | 'idleTimeoutSeconds'>, familyStartSeconds: number, nowSeconds: number): number {
  const absoluteLeft = familyStartSeconds + policy.absoluteLifetimeSeconds - nowSeconds;
  return Math.max(1, Math.min(policy.idleTimeoutSeconds, absoluteLeft));
}
