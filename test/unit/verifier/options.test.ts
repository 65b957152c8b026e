import { describe, expect, it } from 'vitest';
import { resolveVerifierOptions, type VerifierOptions } from '../../../src/verifier/options.ts';

const base: VerifierOptions = { issuer: 'https://id.example.com', audience: 'api', redis: 'redis://127.0.0.1:1' };

describe('resolveVerifierOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveVerifierOptions(base);
    expect(resolved).toMatchObject({
      algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
      clockToleranceSeconds: 5,
      maxStalenessMs: 10_000,
      failOpen: false,
      keyPrefix: 'portcullis',
      maxTokenTtlSeconds: 3600,
      dpopProofMaxAgeSeconds: 60,
    });
    expect(resolved.jwksUri.href).toBe('https://id.example.com/jwks');
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('does not double the slash of an issuer ending in one', () => {
    expect(resolveVerifierOptions({ ...base, issuer: 'https://id.example.com/' }).jwksUri.href).toBe('https://id.example.com/jwks');
  });

  it.each<[string, Partial<VerifierOptions>, RegExp]>([
    ['a non-URL issuer', { issuer: 'id' }, /issuer/],
    ['an empty audience list', { audience: [] }, /audience/],
    ['a non-redis URL', { redis: 'http://x' }, /redis/],
    ['HS256', { algorithms: ['HS256'] }, /algorithms/],
    ['none', { algorithms: ['none'] }, /algorithms/],
    ['a negative leeway', { clockToleranceSeconds: -1 }, /clockToleranceSeconds/],
    ['a tiny staleness bound', { maxStalenessMs: 10 }, /maxStalenessMs/],
    ['failOpen as a string', { failOpen: 'yes' as unknown as boolean }, /failOpen/],
    ['a prefix with a brace', { keyPrefix: 'a{b' }, /keyPrefix/],
    ['a zero TTL', { maxTokenTtlSeconds: 0 }, /maxTokenTtlSeconds/],
  ])('throws a TypeError for %s', (_name, override, message) => {
    expect(() => resolveVerifierOptions({ ...base, ...override })).toThrow(TypeError);
    expect(() => resolveVerifierOptions({ ...base, ...override })).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() => resolveVerifierOptions({ issuer: 'x', audience: '', redis: 'x' })).toThrow(/issuer[\s\S]*audience[\s\S]*redis/);
  });
});
