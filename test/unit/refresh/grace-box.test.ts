import { describe, expect, it } from 'vitest';
import { openGraceEntry, sealGraceEntry } from '../../../src/refresh/grace-box.ts';

const TOKEN = 'grant.family.1.secret-part-of-the-old-token';
const ENTRY = { fingerprint: 'fp', body: { access_token: 'eyJ.eyJ.sig', refresh_token: 'grant.family.2.next', expires_in: 300 } };

describe('grace entries', () => {
  it('open with the old token and the same AAD', () => {
    const sealed = sealGraceEntry(TOKEN, 'grant.family.1', ENTRY);
    expect(openGraceEntry(TOKEN, 'grant.family.1', sealed)).toEqual(ENTRY);
  });

  it('reveal nothing of the tokens inside', () => {
    const sealed = sealGraceEntry(TOKEN, 'grant.family.1', ENTRY).toString('latin1');
    expect(sealed).not.toContain('grant.family.2');
    expect(sealed).not.toContain('eyJ');
  });

  it('do not open with another token, another AAD or tampered bytes', () => {
    const sealed = sealGraceEntry(TOKEN, 'grant.family.1', ENTRY);
    expect(openGraceEntry(`${TOKEN}x`, 'grant.family.1', sealed)).toBeUndefined();
    expect(openGraceEntry(TOKEN, 'grant.family.2', sealed)).toBeUndefined();
    const tampered = Buffer.from(sealed);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    expect(openGraceEntry(TOKEN, 'grant.family.1', tampered)).toBeUndefined();
    expect(openGraceEntry(TOKEN, 'grant.family.1', Buffer.alloc(10))).toBeUndefined();
  });
});
