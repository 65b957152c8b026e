// Polls a condition until it holds or a deadline passes; returns the elapsed milliseconds.
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 5_000, everyMs = 5): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await condition()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** Resolves to the error code `promise` rejects with, or 'OK' when it resolves. */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}
