// Keeps a DenylistMemoryIndex in step with the denylist stream: one snapshot (XRANGE from
// now − maxTokenTtl), then XREAD BLOCK from the last id seen. The last id survives reconnects, so
// entries written while the connection was down are read when it returns: nothing is lost.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import { decodeDenylistEntry } from './entry.ts';
import type { DenylistMemoryIndex } from './memory-index.ts';

// Page size for XRANGE/XREAD: big enough to load 1,000,000 entries in ~1,000 round trips, small
// enough that one reply never blocks the event loop for long.
const PAGE = 1_000;
// Retry pacing while Redis is unreachable: quick first retry, then at most once a second.
const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 1_000;
// Expired entries cost only memory (lookups ignore them), so a sweep every 30 s is plenty.
const SWEEP_INTERVAL_MS = 30_000;

type StreamReply = [id: string, fields: string[]][];

export interface DenylistFollowerOptions {
  /** A connection the follower owns (it blocks on it and disconnects it on close). */
  readonly client: Redis | Cluster;
  readonly stream: string;
  readonly index: DenylistMemoryIndex;
  /** Seconds; how far back the snapshot reads. */
  readonly maxTokenTtlSeconds: number;
  /** Milliseconds without a successful read after which the feed counts as stale. */
  readonly maxStalenessMs: number;
  readonly onError?: ((error: Error) => void) | undefined;
}

/**
 * A snapshot of the follower's state, for health checks and metrics.
 *
 * @example
 * ```ts
 * const { fresh, entries } = verifier.status();
 * ctx.body = { denylist: fresh ? 'ok' : 'stale', entries };
 * ```
 */
export interface DenylistStatus {
  /** The initial snapshot has been loaded. */
  readonly synced: boolean;
  /** Synced and heard from Redis within `maxStalenessMs`. */
  readonly fresh: boolean;
  /** Epoch ms of the last successful read; undefined before the first. */
  readonly lastContactAt: number | undefined;
  /** Last stream id applied; the next read resumes after it. */
  readonly lastId: string | undefined;
  /** Entries held in memory. */
  readonly entries: number;
}

/**
 * Follows the denylist stream into memory.
 *
 * @example
 * ```ts
 * const follower = new DenylistFollower({ client, stream: keys.denylistStream(), index,
 *   maxTokenTtlSeconds: 3600, maxStalenessMs: 10_000 });
 * follower.start();
 * await follower.ready();
 * ```
 */
export class DenylistFollower {
  readonly #options: DenylistFollowerOptions;
  // XREAD must answer well inside the staleness bound even when nothing is written, so its block
  // time is a quarter of it (capped at 5 s so close() and resumption stay prompt).
  readonly #blockMs: number;
  readonly #abort = new AbortController();
  readonly #createdAt = Date.now();
  #lastId: string | undefined;
  #lastContactAt: number | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #markReady!: () => void;
  #markClosed!: (error: Error) => void;
  readonly #ready = new Promise<void>((resolve, reject) => {
    this.#markReady = resolve;
    this.#markClosed = reject;
  });
  #loop: Promise<void> | undefined;

  constructor(options: DenylistFollowerOptions) {
    this.#options = options;
    this.#blockMs = Math.max(10, Math.min(5_000, Math.floor(options.maxStalenessMs / 4)));
    // Nobody may be awaiting ready() when close() rejects it; that must not be an unhandled rejection.
    this.#ready.catch(() => undefined);
  }

  start(): void {
    if (this.#loop) return;
    this.#loop = this.#run();
    this.#sweepTimer = setInterval(() => this.#options.index.sweep(Math.floor(Date.now() / 1000)), SWEEP_INTERVAL_MS);
    this.#sweepTimer.unref();
  }

  /** Resolves once the initial snapshot is in memory; rejects if closed before that. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** True when synced and the last successful read is within the staleness bound. */
  isFresh(now = Date.now()): boolean {
    return this.#lastId !== undefined && this.#lastContactAt !== undefined && now - this.#lastContactAt <= this.#options.maxStalenessMs;
  }

  /**
   * Before the first snapshot, waits for it, but no longer than the staleness bound counted from
   * creation: a service that starts while Redis is down answers "stale", it does not hang.
   */
  async settle(): Promise<void> {
    if (this.#lastId !== undefined) return;
    const remaining = this.#createdAt + this.#options.maxStalenessMs - Date.now();
    if (remaining <= 0) return;
    const timer = new AbortController();
    await Promise.race([this.#ready, sleep(remaining, undefined, { signal: timer.signal }).catch(() => undefined)]);
    timer.abort();
  }

  status(): DenylistStatus {
    return {
      synced: this.#lastId !== undefined,
      fresh: this.isFresh(),
      lastContactAt: this.#lastContactAt,
      lastId: this.#lastId,
      entries: this.#options.index.size,
    };
  }

  async close(): Promise<void> {
    this.#abort.abort();
    clearInterval(this.#sweepTimer);
    this.#markClosed(new Error('verifier closed before the denylist snapshot loaded'));
    this.#options.client.disconnect();
    await this.#loop;
  }

  // A command queued while ioredis is between reconnect attempts is not rejected by disconnect(),
  // so every call also ends when the follower is closed.
  #untilClosed<T>(command: Promise<T>): Promise<T> {
    const { signal } = this.#abort;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new Error('closed'));
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      command.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async #run(): Promise<void> {
    let retryMs = FIRST_RETRY_MS;
    while (!this.#abort.signal.aborted) {
      try {
        if (this.#lastId === undefined) await this.#snapshot();
        else await this.#follow();
        retryMs = FIRST_RETRY_MS;
      } catch (error) {
        if (this.#abort.signal.aborted) return;
        this.#options.onError?.(error instanceof Error ? error : new Error(String(error)));
        await sleep(retryMs, undefined, { signal: this.#abort.signal }).catch(() => undefined);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      }
    }
  }

  async #snapshot(): Promise<void> {
    const { client, stream, maxTokenTtlSeconds } = this.#options;
    // Redis' clock, not ours: stream ids are Redis time, so a skewed host still reads the right span.
    const [seconds, micros] = await this.#untilClosed(client.time());
    const startMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - maxTokenTtlSeconds * 1000;
    // An XADD after this snapshot gets an id above startMs, so resuming from here misses nothing.
    let cursor = `${startMs}-0`;
    let last = cursor;
    for (;;) {
      const page = (await this.#untilClosed(client.xrange(stream, cursor, '+', 'COUNT', PAGE))) as StreamReply;
      this.#apply(page);
      const tail = page.at(-1);
      if (tail) last = tail[0];
      if (page.length < PAGE || !tail) break;
      cursor = `(${tail[0]}`;
    }
    this.#lastId = last;
    this.#lastContactAt = Date.now();
    this.#markReady();
  }

  async #follow(): Promise<void> {
    const { client, stream } = this.#options;
    const reply = (await this.#untilClosed(client.xread('COUNT', PAGE, 'BLOCK', this.#blockMs, 'STREAMS', stream, this.#lastId as string))) as
      | [key: string, entries: StreamReply][]
      | null;
    // Even an empty (timed-out) reply proves the feed is reachable and nothing was missed.
    this.#lastContactAt = Date.now();
    const entries = reply?.[0]?.[1];
    if (!entries) return;
    this.#apply(entries);
    const tail = entries.at(-1);
    if (tail) this.#lastId = tail[0];
  }

  #apply(entries: StreamReply): void {
    for (const [id, fields] of entries) {
      const entry = decodeDenylistEntry(fields);
      if (entry) this.#options.index.add(entry);
      else this.#options.onError?.(new Error(`denylist stream entry ${id} is malformed; skipped`));
    }
  }
}
