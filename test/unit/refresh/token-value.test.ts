import { describe, expect, it } from 'vitest';
import { newFamilyId, parseRefreshToken, RefreshTokenMinter, tokenHash } from '../../../src/refresh/token-value.ts';

const GRANT = 'PQ0pfdgDUnNYiPO_blt6Wn_o7QW-_esc3crAUwOZKPz';

describe('refresh-token values', () => {
  const minter = new RefreshTokenMinter(['first-secret-0123456789-0123456789']);

  it('name their grant, family and generation, and carry 256 bits of secret', () => {
    const family = newFamilyId();
    const value = minter.mint(GRANT, family, 1_000);
    const parts = parseRefreshToken(value);
    expect(parts).toMatchObject({ grantId: GRANT, familyId: family, generation: 1_000, header: `${GRANT}.${family}.rs` });
    expect(parts?.nonce).toHaveLength(16);
    expect(parts?.mac).toHaveLength(16);
    expect(minter.mint(GRANT, family, 1_000)).not.toBe(value);
  });

  it('are authentic only with a MAC from one of the configured keys', () => {
    const value = minter.mint(GRANT, newFamilyId(), 3);
    const parts = parseRefreshToken(value);
    if (!parts) throw new Error('unparsed');
    expect(minter.authentic(parts)).toBe(true);
    // Key rotation: the old key still verifies while it is listed, not after.
    expect(new RefreshTokenMinter(['new-secret-0123456789-0123456789-0', 'first-secret-0123456789-0123456789']).authentic(parts)).toBe(true);
    expect(new RefreshTokenMinter(['new-secret-0123456789-0123456789-0']).authentic(parts)).toBe(false);
    // Another generation with the same secret part is not authentic.
    const moved = parseRefreshToken(value.replace('.3.', '.2.'));
    expect(moved && minter.authentic(moved)).toBe(false);
  });

  it.each([
    '',
    'x'.repeat(43),
    `${GRANT}.fam.1`,
    `${GRANT}.fam.1.${Buffer.alloc(31).toString('base64url')}`,
    `${GRANT}.fam.-1.${Buffer.alloc(32).toString('base64url')}`,
    `${GRANT}.fa{m}.1.${Buffer.alloc(32).toString('base64url')}`,
    `${GRANT}.fam.1.${Buffer.alloc(32).toString('base64url')}.extra`,
    `${'a'.repeat(300)}.fam.1.${Buffer.alloc(32).toString('base64url')}`,
  ])('parse rejects %j without throwing', (value) => {
    expect(parseRefreshToken(value)).toBeUndefined();
  });

  it('hash to a short value that differs per token', () => {
    const a = tokenHash(minter.mint(GRANT, 'f', 0));
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(tokenHash(minter.mint(GRANT, 'f', 0))).not.toBe(a);
  });
});
