// Password hashing: scrypt with a per-hash salt and the cost parameters stored in the hash, so a
// later change of the defaults keeps old hashes verifiable.
import { describe, expect, it } from 'vitest';
import { burnVerification, hashPassword, verifyPassword } from '../../../src/accounts/password.ts';

// Cheap parameters where the test is about the format, not the cost.
const FAST = { N: 1024, r: 8, p: 1 } as const;

describe('hashPassword', () => {
  it('produces scrypt$N$r$p$salt$hash with the default cost, a 16-byte salt and a 32-byte key', async () => {
    const encoded = await hashPassword('correct horse battery');
    const [scheme, N, r, p, salt, hash, ...rest] = encoded.split('$');
    expect([scheme, N, r, p]).toEqual(['scrypt', String(2 ** 15), '8', '1']);
    expect(Buffer.from(salt as string, 'base64url')).toHaveLength(16);
    expect(Buffer.from(hash as string, 'base64url')).toHaveLength(32);
    expect(rest).toEqual([]);
    expect(encoded).not.toContain('correct horse battery');
  });

  it('salts every hash afresh', async () => {
    const [first, second] = await Promise.all([hashPassword('same password', FAST), hashPassword('same password', FAST)]);
    expect(first).not.toBe(second);
    expect(first.split('$')[4]).not.toBe(second.split('$')[4]);
  });
});

describe('verifyPassword', () => {
  it('accepts the right password and refuses others', async () => {
    const encoded = await hashPassword('correct horse battery', FAST);
    expect(await verifyPassword('correct horse battery', encoded)).toBe(true);
    expect(await verifyPassword('correct horse batterY', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
    expect(await verifyPassword('correct horse battery ', encoded)).toBe(false);
  });

  it('uses the parameters stored in the hash, not the current defaults', async () => {
    const cheap = await hashPassword('old password', FAST);
    expect(cheap.split('$').slice(1, 4)).toEqual(['1024', '8', '1']);
    expect(await verifyPassword('old password', cheap)).toBe(true);
    // The same salt and password under other parameters is a different key: the parameters count.
    const [, , , , salt, hash] = cheap.split('$');
    expect(await verifyPassword('old password', ['scrypt', 2048, 8, 1, salt, hash].join('$'))).toBe(false);
  });

  it('normalises Unicode (NFKC), so the same password typed on another keyboard matches', async () => {
    const encoded = await hashPassword('caf\u00e9 \ufb01sh', FAST);
    expect(await verifyPassword('cafe\u0301 fish', encoded)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['another scheme', 'bcrypt$2b$10$abcdefghijklmnopqrstuv'],
    ['missing parts', 'scrypt$1024$8$1$c2FsdA'],
    ['a truncated key', 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAA'],
  ])('refuses %s as a stored hash without throwing', async (_case, encoded) => {
    expect(await verifyPassword('anything', encoded)).toBe(false);
  });

  it('refuses a hash whose key was tampered with', async () => {
    const encoded = await hashPassword('secret password', FAST);
    const parts = encoded.split('$');
    const key = Buffer.from(parts[5] as string, 'base64url');
    key[0] = (key[0] as number) ^ 1;
    parts[5] = key.toString('base64url');
    expect(await verifyPassword('secret password', parts.join('$'))).toBe(false);
  });
});

describe('burnVerification', () => {
  it('always answers false, for any password', async () => {
    expect(await burnVerification('correct horse battery')).toBe(false);
    expect(await burnVerification('')).toBe(false);
  });
});
