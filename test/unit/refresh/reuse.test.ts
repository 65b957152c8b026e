import { describe, expect, it } from 'vitest';
import { reuseVerdict, type SupersededToken } from '../../../src/refresh/reuse.ts';

const BASE: SupersededToken = { predecessor: false, presentedGeneration: 3, currentGeneration: 10, previousIssuedAt: 100_000, graceMs: 15_000, nowMs: 200_000 };

describe('reuse verdict', () => {
  it('revokes for the predecessor whose grace entry expired', () => {
    expect(reuseVerdict({ ...BASE, predecessor: true, presentedGeneration: 9 })).toBe('revoke');
  });

  it('revokes for an older generation once the previous token is older than the window', () => {
    expect(reuseVerdict(BASE)).toBe('revoke');
    expect(reuseVerdict({ ...BASE, presentedGeneration: 8 })).toBe('revoke');
  });

  it('refuses without revoking while the window may still cover it (a sibling rotated twice)', () => {
    expect(reuseVerdict({ ...BASE, nowMs: 110_000 })).toBe('refuse');
    expect(reuseVerdict({ ...BASE, previousIssuedAt: undefined })).toBe('refuse');
  });

  it('refuses without revoking a fork: one back but not our predecessor, or at/after the current generation', () => {
    expect(reuseVerdict({ ...BASE, presentedGeneration: 9 })).toBe('refuse');
    expect(reuseVerdict({ ...BASE, presentedGeneration: 10 })).toBe('refuse');
    expect(reuseVerdict({ ...BASE, presentedGeneration: 12 })).toBe('refuse');
  });
});
