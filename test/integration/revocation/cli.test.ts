// The operator CLI's password change and disable sign the account out everywhere: its grants end,
// a `sub` denylist entry refuses its earlier access tokens, and the audit log names the operator.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliConfigPath, cliRunner } from '../../helpers/cli.ts';
import { startConformanceOp, type ConformanceOp } from '../conformance/support.ts';
import { denylist, login, refresh } from './support.ts';

let op: ConformanceOp;
const configFile = cliConfigPath('portcullis-cli-revocation');
const cli = cliRunner(configFile);

beforeAll(async () => {
  op = await startConformanceOp();
  // The CLI works on the provider's keys: same prefix, same resources (so the same token lifetimes).
  writeFileSync(configFile, JSON.stringify({ redis: { keyPrefix: op.config.redis.keyPrefix }, resources: op.config.resources }));
});

afterAll(async () => {
  await op.close();
});

describe('CLI account changes revoke the subject', () => {
  it('set-password ends the grants and denylists earlier tokens; the audit log names the operator', async () => {
    const account = await op.accounts.create({ username: 'olga', password: 'olga password 1' });
    const tokens = await login(op, 'web', { username: 'olga', password: 'olga password 1' });
    const result = await cli(['accounts', 'set-password', 'olga', '--password-stdin'], 'olga password 2\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('signed out everywhere (1 grants, 1 sessions)');
    expect((await refresh(op, 'web', tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    expect((await denylist(op)).find((e) => e.kind === 'sub' && e.value === account.id)).toBeDefined();
    const { entries } = await op.audit.page({ limit: 1 });
    expect(entries[0]).toMatchObject({ actor: { kind: 'operator' }, action: 'subject.revoke', target: { type: 'account', id: account.id }, details: { source: 'cli', grants: 1 } });
  });

  it('disable ends the grants and denylists earlier tokens', async () => {
    const account = await op.accounts.create({ username: 'petra', password: 'petra password 1' });
    const tokens = await login(op, 'spa', { username: 'petra', password: 'petra password 1' });
    const result = await cli(['accounts', 'disable', 'petra']);
    expect(result.code).toBe(0);
    expect((await refresh(op, 'spa', tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    expect((await denylist(op)).filter((e) => e.value === account.id || e.value === tokens.grantId).map((e) => e.kind).sort()).toEqual(['grant', 'sub']);
  });
});
