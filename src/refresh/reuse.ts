// Is a superseded refresh token (ours, no longer current, no grace entry) a theft or a benign
// straggler? Only a token provably rotated longer ago than the grace window revokes the grant.

export interface SupersededToken {
  /** True when it is the predecessor of the current token and its grace entry expired in Redis. */
  predecessor: boolean;
  presentedGeneration: number;
  currentGeneration: number;
  /** When the current token's predecessor was issued, epoch ms (undefined before two rotations). */
  previousIssuedAt: number | undefined;
  graceMs: number;
  nowMs: number;
}

/**
 * `revoke`: the predecessor whose grace entry expired in Redis, or an older generation, which
 * was rotated no later than the previous token was issued, when that lies beyond the window.
 * `refuse` (invalid_grant, nobody logged out): a sibling that rotated twice within the window,
 * or a fork left by a store that lost writes (a generation at or past the current one, or one
 * back that is not the token we rotated).
 */
export function reuseVerdict(token: SupersededToken): 'revoke' | 'refuse' {
  if (token.predecessor) return 'revoke';
  const older = token.presentedGeneration <= token.currentGeneration - 2;
  if (older && token.previousIssuedAt !== undefined && token.nowMs - token.previousIssuedAt >= token.graceMs) return 'revoke';
  return 'refuse';
}
