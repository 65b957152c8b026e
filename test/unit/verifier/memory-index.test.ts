import { describe, expect, it } from 'vitest';
import { DenylistMemoryIndex } from '../../../src/verifier/denylist/memory-index.ts';

const now = 1_800_000_000;
const token = { jti: 'j1', sub: 'u1', iat: now - 10, grantId: 'g1' };

describe('DenylistMemoryIndex', () => {
  it('matches by jti, by grant, and by subject only for iat < before', () => {
    const index = new DenylistMemoryIndex();
    expect(index.isRevoked(token, now)).toBe(false);
    index.add({ kind: 'sub', value: 'u1', before: now - 10, expiresAt: now + 60 });
    expect(index.isRevoked(token, now)).toBe(false); // iat == before: issued at the instant, kept
    index.add({ kind: 'sub', value: 'u1', before: now - 9, expiresAt: now + 60 });
    expect(index.isRevoked(token, now)).toBe(true);
    const other = new DenylistMemoryIndex();
    other.add({ kind: 'grant', value: 'g1', expiresAt: now + 60 });
    expect(other.isRevoked(token, now)).toBe(true);
    expect(other.isRevoked({ ...token, grantId: undefined }, now)).toBe(false);
    other.add({ kind: 'jti', value: 'j1', expiresAt: now + 60 });
    expect(other.isRevoked({ ...token, grantId: undefined }, now)).toBe(true);
  });

  it('keeps the later cut-off of a subject whatever the arrival order', () => {
    const index = new DenylistMemoryIndex();
    index.add({ kind: 'sub', value: 'u1', before: now, expiresAt: now + 60 });
    index.add({ kind: 'sub', value: 'u1', before: now - 100, expiresAt: now + 10 });
    expect(index.isRevoked({ ...token, iat: now - 1 }, now)).toBe(true);
  });

  it('ignores expired entries at lookup and drops them on sweep', () => {
    const index = new DenylistMemoryIndex();
    index.add({ kind: 'jti', value: 'j1', expiresAt: now - 1 });
    index.add({ kind: 'grant', value: 'g2', expiresAt: now + 60 });
    index.add({ kind: 'sub', value: 'u9', before: now, expiresAt: now - 1 });
    expect(index.isRevoked(token, now)).toBe(false);
    expect(index.size).toBe(3);
    expect(index.sweep(now)).toBe(2);
    expect(index.size).toBe(1);
  });
});
