import { describe, expect, it } from 'vitest';
import { refreshTokenLifetime } from '../../../src/refresh/lifetime.ts';

const POLICY = { absoluteLifetimeSeconds: 1_000, idleTimeoutSeconds: 100 };

describe('refresh-token lifetime', () => {
  it('is the idle timeout while the family is young', () => {
    expect(refreshTokenLifetime(POLICY, 5_000, 5_000)).toBe(100);
    expect(refreshTokenLifetime(POLICY, 5_000, 5_500)).toBe(100);
  });

  it('never reaches past the family start plus its absolute lifetime', () => {
    expect(refreshTokenLifetime(POLICY, 5_000, 5_950)).toBe(50);
  });

  it('is at least one second (oidc-provider refuses zero)', () => {
    expect(refreshTokenLifetime(POLICY, 5_000, 6_000)).toBe(1);
  });
});
