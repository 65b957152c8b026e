// oidc-provider 9 needs Node >= 22.12; every npm script must run on the devDependency `node`.
import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('runs on Node 22.12 or newer', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(major > 22 || (major === 22 && minor >= 12)).toBe(true);
  });
});
