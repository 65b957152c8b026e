// Route-level authorization: the token must carry every scope the route names.
import type { AccessTokenClaims } from './access-token.ts';
import { InsufficientScopeError } from './errors.ts';

/**
 * Throws {@link InsufficientScopeError} unless `claims.scope` contains every one of `required`.
 *
 * @example
 * ```ts
 * const claims = await verifier.verify(token);
 * requireScopes(claims, ['orders:read']);
 * ```
 */
export function requireScopes(claims: Pick<AccessTokenClaims, 'scope'>, required: readonly string[]): void {
  if (required.length === 0) return;
  const granted = new Set((claims.scope ?? '').split(' '));
  if (!required.every((scope) => granted.has(scope))) throw new InsufficientScopeError(required);
}
