import { describe, expect, it } from 'vitest';
import { DpopReplayCache } from '../../../src/verifier/dpop/replay-cache.ts';

describe('DpopReplayCache', () => {
  it('accepts a proof id once while it is remembered, again after it is forgotten', () => {
    const cache = new DpopReplayCache();
    expect(cache.firstUse('k', 1_000, 0)).toBe(true);
    expect(cache.firstUse('k', 1_000, 500)).toBe(false);
    expect(cache.firstUse('k', 3_000, 1_500)).toBe(true);
  });
});
