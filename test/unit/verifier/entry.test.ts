import { describe, expect, it } from 'vitest';
import { decodeDenylistEntry, encodeDenylistEntry, type DenylistEntry } from '../../../src/verifier/denylist/entry.ts';

describe('denylist entry wire format', () => {
  it.each<DenylistEntry>([
    { kind: 'jti', value: 'j', expiresAt: 10 },
    { kind: 'grant', value: 'g', expiresAt: 10 },
    { kind: 'sub', value: 's', before: 5, expiresAt: 10 },
  ])('round-trips %o', (entry) => {
    expect(decodeDenylistEntry(encodeDenylistEntry(entry))).toEqual(entry);
  });

  it.each([
    [['kind', 'user', 'value', 'x', 'expires_at', '1']],
    [['kind', 'jti', 'value', '', 'expires_at', '1']],
    [['kind', 'jti', 'value', 'x', 'expires_at', 'soon']],
    [['kind', 'sub', 'value', 'x', 'expires_at', '1']],
    [['kind', 'jti']],
  ])('rejects malformed fields %o', (fields) => {
    expect(decodeDenylistEntry(fields)).toBeUndefined();
  });
});
