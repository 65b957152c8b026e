// Remembers DPoP proof ids while their iat is still acceptable, so a captured proof cannot be
// replayed to this instance (RFC 9449 §11.1). Other instances keep their own memory; the proof is
// also bound to method, URL and a fresh iat, which is what bounds replay across instances.

// Hard cap on remembered proofs: at 60 s windows this is ~1,600 DPoP requests/s per instance
// before the oldest are forgotten early; each costs roughly 150 bytes.
const MAX_ENTRIES = 100_000;

/**
 * Per-instance DPoP `jti` replay memory.
 *
 * @example
 * ```ts
 * const seen = new DpopReplayCache();
 * seen.firstUse('jkt:jti', Date.now() + 120_000); // true, then false for the same id
 * ```
 */
export class DpopReplayCache {
  // key → forget-after (epoch ms). Map keeps insertion order, so the oldest are first.
  readonly #seen = new Map<string, number>();

  /** True the first time `key` is presented before `forgetAtMs`; false on a replay. */
  firstUse(key: string, forgetAtMs: number, now = Date.now()): boolean {
    const held = this.#seen.get(key);
    if (held !== undefined && held >= now) return false;
    this.#prune(now);
    this.#seen.set(key, forgetAtMs);
    return true;
  }

  #prune(now: number): void {
    for (const [key, forgetAt] of this.#seen) {
      // Insertion order is close to expiry order; stop at the first live entry once under the cap.
      if (forgetAt >= now && this.#seen.size < MAX_ENTRIES) return;
      this.#seen.delete(key);
    }
  }
}
