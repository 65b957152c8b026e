import { describe, expect, it } from 'vitest';
import { hashTag, keySlot } from '../../helpers/keyslot.ts';

// Reference values from the Redis Cluster specification and CLUSTER KEYSLOT.
describe('keySlot test helper', () => {
  it('matches Redis for known keys', () => {
    expect(keySlot('123456789')).toBe(0x31c3 % 16384);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('user1000')).toBe(3443);
  });

  it('hashes only the first non-empty hash tag', () => {
    expect(hashTag('p:AccessToken:{g1}:at1')).toBe('g1');
    expect(hashTag('foo{}{bar}')).toBe('foo{}{bar}');
    expect(keySlot('p:grant-index:{g1}')).toBe(keySlot('p:AccessToken:{g1}:x'));
    expect(keySlot('p:AccessToken:ptr:{x}')).not.toBe(keySlot('p:AccessToken:{g1}:x'));
  });
});
