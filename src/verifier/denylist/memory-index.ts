// The in-memory denylist: three hash maps, so a lookup is three O(1) probes whatever the size.
import type { DenylistEntry } from './entry.ts';

// Times are stored as seconds since this offset (Nov 2023) so they fit V8's small-integer range
// (< 2^30) until 2057; raw unix seconds (> 2^30) would each cost an extra 16-byte heap number,
// which at 1,000,000 entries is 16 MB.
const OFFSET = 1_700_000_000;

/** What a token offers to the denylist check. */
export interface RevocationSubject {
  readonly jti: string;
  readonly sub: string;
  /** Unix seconds. */
  readonly iat: number;
  readonly grantId?: string | undefined;
}

/**
 * Holds the live denylist entries. Entries are kept until `sweep` passes their `expiresAt`;
 * lookups also ignore an expired entry, so correctness never waits for a sweep.
 *
 * @example
 * ```ts
 * const index = new DenylistMemoryIndex();
 * index.add({ kind: 'jti', value: 'abc', expiresAt: now + 600 });
 * index.isRevoked({ jti: 'abc', sub: 'u1', iat: now }, now); // true
 * ```
 */
export class DenylistMemoryIndex {
  // value → expiresAt − OFFSET. A small integer per key is the smallest thing V8 stores in a Map.
  readonly #jti = new Map<string, number>();
  readonly #grant = new Map<string, number>();
  // sub → the newest cut-off; a later `before` covers every token an earlier one did.
  readonly #sub = new Map<string, { before: number; expiresAt: number }>();

  /** Number of entries held (all kinds). */
  get size(): number {
    return this.#jti.size + this.#grant.size + this.#sub.size;
  }

  add(entry: DenylistEntry): void {
    const expiresAt = entry.expiresAt - OFFSET;
    if (entry.kind === 'sub') {
      const held = this.#sub.get(entry.value);
      // Keeping the larger of each is sound: past an entry's expiresAt no live token can match it,
      // so extending its life can refuse nothing that was accepted before.
      this.#sub.set(entry.value, {
        before: Math.max(held?.before ?? -OFFSET, entry.before - OFFSET),
        expiresAt: Math.max(held?.expiresAt ?? -OFFSET, expiresAt),
      });
      return;
    }
    const map = entry.kind === 'jti' ? this.#jti : this.#grant;
    map.set(entry.value, Math.max(map.get(entry.value) ?? -OFFSET, expiresAt));
  }

  /** `nowSeconds`: unix seconds. */
  isRevoked(token: RevocationSubject, nowSeconds: number): boolean {
    const now = nowSeconds - OFFSET;
    const jti = this.#jti.get(token.jti);
    if (jti !== undefined && jti >= now) return true;
    if (token.grantId !== undefined) {
      const grant = this.#grant.get(token.grantId);
      if (grant !== undefined && grant >= now) return true;
    }
    const sub = this.#sub.get(token.sub);
    return sub !== undefined && sub.expiresAt >= now && token.iat - OFFSET < sub.before;
  }

  /** Drops entries whose `expiresAt` is before `nowSeconds`; returns how many went. */
  sweep(nowSeconds: number): number {
    const now = nowSeconds - OFFSET;
    let removed = 0;
    for (const map of [this.#jti, this.#grant]) {
      for (const [key, expiresAt] of map) {
        if (expiresAt < now) {
          map.delete(key);
          removed += 1;
        }
      }
    }
    for (const [key, { expiresAt }] of this.#sub) {
      if (expiresAt < now) {
        this.#sub.delete(key);
        removed += 1;
      }
    }
    return removed;
  }
}
