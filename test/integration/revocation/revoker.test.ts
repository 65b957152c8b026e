// The Revoker on real Redis: what each method writes to the denylist, how long entries live, what
// it audits, and the account changes that sign a subject out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/revocation/audit.ts';
import { changePassword } from '../../../src/revocation/account-events.ts';
import { DENYLIST_EXPIRY_MARGIN_SECONDS } from '../../../src/revocation/lifetime.ts';
import { Revoker } from '../../../src/revocation/revoker.ts';
import { startConformanceOp, USERNAME, type ConformanceOp } from '../conformance/support.ts';
import { denylist, login, refresh } from './support.ts';

let op: ConformanceOp;
const system = { kind: 'system', id: 'test' } as const;

beforeAll(async () => {
  // One resource with a longer access-token lifetime than the default: entries must outlive it.
  op = await startConformanceOp({
    overrides: {
      resources: [
        { identifier: 'https://api.example.test', scopes: { 'orders:read': 'Read your orders' }, accessTokenTTLSeconds: 900 },
        { identifier: 'urn:portcullis:admin', scopes: { admin: 'Administer Portcullis' } },
      ],
    },
  });
});

afterAll(async () => {
  await op.close();
});

function revokerWith(records: AuditRecord[]): Revoker {
  return new Revoker({ redis: op.redis, keys: op.keys, config: op.config, audit: { record: async (entry) => void records.push(entry) } });
}

describe('Revoker', () => {
  it('takes the longest access-token lifetime of any resource or token kind', () => {
    expect(op.revoker.maxAccessTokenTtlSeconds).toBe(900);
  });

  it('revokeGrant: a grant entry that outlives the grant’s longest possible token, and the grant is gone', async () => {
    const records: AuditRecord[] = [];
    const tokens = await login(op, 'web');
    const started = Math.floor(Date.now() / 1000);
    const result = await revokerWith(records).revokeGrant(tokens.grantId, system, 'test', { source: 'unit' });
    const entry = (await denylist(op)).find((e) => e.id === result.denylistId);
    expect(result).toMatchObject({ found: true, accountId: op.sub, clientId: 'web' });
    expect(entry).toMatchObject({ kind: 'grant', value: tokens.grantId });
    expect(Number(entry?.expires_at)).toBeGreaterThanOrEqual(started + 900 + DENYLIST_EXPIRY_MARGIN_SECONDS);
    expect((await refresh(op, 'web', tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    expect(records).toEqual([expect.objectContaining({ action: 'grant.revoke', actor: system, reason: 'test', details: expect.objectContaining({ source: 'unit', found: true }) })]);
  });

  it('revokeGrant of an unknown grant still writes the entry (a retry after a partial failure must not skip it)', async () => {
    const result = await op.revoker.revokeGrant('unknown-grant-id', system, undefined, { audit: false });
    expect(result.found).toBe(false);
    expect((await denylist(op)).find((e) => e.id === result.denylistId)?.value).toBe('unknown-grant-id');
  });

  it('revokeToken: a jti entry that lives no longer than the token (plus the margin)', async () => {
    const records: AuditRecord[] = [];
    const exp = Math.floor(Date.now() / 1000) + 120;
    const short = await revokerWith(records).revokeToken('jti-short', system, undefined, { expiresAt: exp, audit: false });
    const unknown = await revokerWith(records).revokeToken('jti-unknown-exp', system);
    const entries = await denylist(op);
    expect(entries.find((e) => e.id === short.denylistId)).toMatchObject({ kind: 'jti', value: 'jti-short', expires_at: String(exp + DENYLIST_EXPIRY_MARGIN_SECONDS) });
    expect(Number(entries.find((e) => e.id === unknown.denylistId)?.expires_at)).toBeGreaterThanOrEqual(exp + 780);
    // audit: false silenced the first call only.
    expect(records.map((r) => r.target?.id)).toEqual(['jti-unknown-exp']);
  });

  it('revokeSubject: every grant and session of the account, grant entries and a sub entry covering tokens issued so far', async () => {
    const web = await login(op, 'web');
    const spa = await login(op, 'spa');
    const result = await op.revoker.revokeSubject(op.sub, system, 'test', { audit: false });
    expect(result.grantIds).toEqual(expect.arrayContaining([web.grantId, spa.grantId]));
    expect(result.sessionsEnded).toBeGreaterThanOrEqual(2);
    const entries = await denylist(op);
    const subject = entries.find((e) => e.id === result.denylistIds.at(-1));
    expect(subject).toMatchObject({ kind: 'sub', value: op.sub, before: String(result.before) });
    for (const tokens of [web, spa]) {
      const { iat } = JSON.parse(Buffer.from(tokens.access_token.split('.')[1] as string, 'base64url').toString()) as { iat: number };
      expect(iat).toBeLessThan(result.before);
    }
    expect(Number(subject?.expires_at)).toBeGreaterThanOrEqual(result.before + 900 + DENYLIST_EXPIRY_MARGIN_SECONDS);
    expect((await refresh(op, 'spa', spa.refresh_token as string)).body.error).toBe('invalid_grant');
  });

  it('changePassword sets the password, then signs the subject out everywhere', async () => {
    const account = await op.accounts.create({ username: 'pat', password: 'old password 123' });
    const tokens = await login(op, 'web', { username: 'pat', password: 'old password 123' });
    const { revocation } = await changePassword(op.accounts, op.revoker, 'pat', 'new password 456', { kind: 'account', id: account.id }, { audit: false });
    expect(revocation.grantIds).toEqual([tokens.grantId]);
    expect((await denylist(op)).some((e) => e.kind === 'sub' && e.value === account.id)).toBe(true);
    expect(await op.accounts.authenticate('pat', 'new password 456')).toMatchObject({ id: account.id });
    expect((await refresh(op, 'web', tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    // The suite's own user is untouched by pat's revocation.
    expect(await op.accounts.findByUsername(USERNAME)).toBeDefined();
  });
});
