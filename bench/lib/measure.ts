// Time-bounded measurement helpers shared by benches.

/** Runs `op` back to back for `durationMs`; returns operations per second. */
export async function opsPerSecond(op: () => Promise<unknown>, durationMs: number): Promise<number> {
  let count = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  // Check the clock every 64 operations: reading it costs more than a map lookup.
  while (performance.now() < deadline) {
    for (let i = 0; i < 64; i += 1) await op();
    count += 64;
  }
  return count / ((performance.now() - started) / 1000);
}

/** Heap in use after forcing collection (needs --expose-gc, which bench/run.ts passes). */
export function settledHeapBytes(): number {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

export function format(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
