// The admin API honours the denylist for its own tokens. Admin calls are rare, so instead of a
// blocking feed connection it pulls the stream on demand: every check first reads whatever was
// appended since the previous one (usually nothing). That reads its own writes: a token revoked a
// moment ago is refused by the very next admin call, on this instance or any other.
import type { RedisClient } from '../store/connect.ts';
import { guardStore } from '../store/errors.ts';
import type { Keys } from '../store/keys.ts';
import { decodeDenylistEntry } from '../verifier/denylist/entry.ts';
import { DenylistMemoryIndex, type RevocationSubject } from '../verifier/denylist/memory-index.ts';

// Entries per XRANGE page: a catch-up after a burst of revocations stays a few round trips.
const PAGE = 1_000;
// Expired entries only cost memory; sweeping once a minute keeps the index to live entries.
const SWEEP_EVERY_MS = 60_000;

type StreamReply = [id: string, fields: string[]][];

export class DenylistView {
  readonly #redis: RedisClient;
  readonly #stream: string;
  readonly #lookbackSeconds: number;
  readonly #index = new DenylistMemoryIndex();
  #lastId: string | undefined;
  #lastSweep = Date.now();
  // Reads are chained: each check waits for a read that started after it was asked.
  #chain: Promise<void> = Promise.resolve();

  /** `lookbackSeconds`: how far back the first read goes (the longest entry lifetime). */
  constructor(redis: RedisClient, keys: Keys, lookbackSeconds: number) {
    this.#redis = redis;
    this.#stream = keys.denylistStream();
    this.#lookbackSeconds = lookbackSeconds;
  }

  /** True when the token is denylisted. Rejects (StoreUnavailableError) when Redis is unreachable: fail closed. */
  async isRevoked(token: RevocationSubject): Promise<boolean> {
    const read = this.#chain.catch(() => undefined).then(() => guardStore(() => this.#catchUp()));
    this.#chain = read;
    await read;
    const now = Date.now();
    if (now - this.#lastSweep > SWEEP_EVERY_MS) {
      this.#index.sweep(Math.floor(now / 1000));
      this.#lastSweep = now;
    }
    return this.#index.isRevoked(token, Math.floor(now / 1000));
  }

  async #catchUp(): Promise<void> {
    let from = this.#lastId;
    if (from === undefined) {
      // Redis' clock: stream ids are Redis time.
      const [seconds] = await this.#redis.time();
      from = `${(Number(seconds) - this.#lookbackSeconds) * 1000}-0`;
    }
    for (;;) {
      // Inclusive start (exclusive ranges need Redis 6.2 and the embedded store lacks them).
      const page = (await this.#redis.xrange(this.#stream, from, '+', 'COUNT', PAGE + 1)) as StreamReply;
      const fresh = page.filter(([id]) => id !== this.#lastId);
      for (const [, fields] of fresh) {
        const entry = decodeDenylistEntry(fields);
        if (entry) this.#index.add(entry);
      }
      const tail = page.at(-1);
      if (tail) this.#lastId = tail[0];
      else this.#lastId ??= from;
      if (page.length <= PAGE || !tail) return;
      from = tail[0];
    }
  }
}
