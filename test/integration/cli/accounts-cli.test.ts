// The operator CLI against a real Redis: add (password from stdin), list, set-password, disable,
// remove; and its refusals (usage errors, duplicate names, no REDIS_URL).
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AccountStore } from '../../../src/accounts/store.ts';
import { createKeys } from '../../../src/store/keys.ts';
import { cliConfigPath, cliRunner } from '../../helpers/cli.ts';
import { uniquePrefix } from '../../helpers/portcullis.ts';

const prefix = uniquePrefix();
const configFile = cliConfigPath('portcullis-cli');
const cli = cliRunner(configFile);
let redis: Redis;
let store: AccountStore;

beforeAll(() => {
  writeFileSync(configFile, JSON.stringify({ redis: { keyPrefix: prefix } }));
  redis = new Redis(inject('redisUrl'));
  store = new AccountStore(redis, createKeys(prefix));
});

afterAll(async () => {
  await redis.quit();
});

describe('accounts CLI', () => {
  it('adds an account with a password from stdin, lists it, and the password works', async () => {
    const added = await cli(['accounts', 'add', 'carol', '--password-stdin', '--email', 'carol@example.com', '--name', 'Carol'], 'pa55word-carol\n');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^created carol \(/);
    expect(await store.authenticate('carol', 'pa55word-carol')).toMatchObject({ username: 'carol', email: 'carol@example.com', name: 'Carol' });

    const listed = await cli(['accounts', 'list']);
    expect(listed.stdout).toMatch(/^carol\t[0-9a-f-]{36}\tcarol@example\.com\tactive$/m);
  });

  it('refuses a duplicate username and a short password, with exit code 1', async () => {
    await cli(['accounts', 'add', 'dave', '--password-stdin'], 'first-password\n');
    const duplicate = await cli(['accounts', 'add', 'dave', '--password-stdin'], 'second-password\n');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('ERR_ACCOUNT_EXISTS');
    const short = await cli(['accounts', 'add', 'erin', '--password-stdin'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('ERR_ACCOUNT_INVALID');
    expect(await store.findByUsername('erin')).toBeUndefined();
  });

  it('changes a password, disables, enables and removes', async () => {
    await cli(['accounts', 'add', 'frank', '--password-stdin'], 'old-password-1\n');
    expect((await cli(['accounts', 'set-password', 'frank', '--password-stdin'], 'new-password-2\n')).code).toBe(0);
    expect(await store.authenticate('frank', 'old-password-1')).toBeUndefined();
    expect(await store.authenticate('frank', 'new-password-2')).toBeDefined();

    expect((await cli(['accounts', 'disable', 'frank'])).code).toBe(0);
    expect(await store.authenticate('frank', 'new-password-2')).toBeUndefined();
    expect((await cli(['accounts', 'enable', 'frank'])).code).toBe(0);
    expect(await store.authenticate('frank', 'new-password-2')).toBeDefined();

    expect((await cli(['accounts', 'remove', 'frank'])).stdout).toContain('removed frank');
    expect(await store.findByUsername('frank')).toBeUndefined();
    expect((await cli(['accounts', 'remove', 'frank'])).stderr).toContain('ERR_ACCOUNT_NOT_FOUND');
  });

  it('explains its usage for unknown commands and refuses to run without Redis', async () => {
    const unknown = await cli(['accounts', 'frobnicate']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('usage:');
    const noRedis = await cli(['accounts', 'list'], '', { REDIS_URL: '' });
    expect(noRedis.code).toBe(64);
    expect(noRedis.stderr).toContain('set REDIS_URL');
  });

  it('generates a private signing JWKS', async () => {
    const { stdout, code } = await cli(['keys', 'generate', '--alg', 'RS256']);
    expect(code).toBe(0);
    const jwks = JSON.parse(stdout) as { keys: { kty: string; alg: string; kid: string; d?: string }[] };
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(jwks.keys[0]?.d).toBeTypeOf('string');
  });
});
