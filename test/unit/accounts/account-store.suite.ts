// The AccountStore's behaviour, run unchanged against the embedded store (unit) and a real Redis
// (integration): what development shows is what production does.
import { describe, expect, it } from 'vitest';
import { AccountError, AccountStore } from '../../../src/accounts/store.ts';
import type { RedisClient } from '../../../src/store/connect.ts';
import { createKeys, type Keys } from '../../../src/store/keys.ts';

export interface StoreFixture {
  redis: RedisClient;
  keys: Keys;
  accounts: AccountStore;
}

/** `connect` gives each test a client; the suite uses a fresh key prefix per test. */
export function accountStoreSuite(name: string, connect: () => RedisClient): void {
  let counter = 0;
  const fixture = (): StoreFixture => {
    const redis = connect();
    counter += 1;
    const keys = createKeys(`acct${process.pid}x${counter}x${Date.now()}`);
    return { redis, keys, accounts: new AccountStore(redis, keys) };
  };

  const expectCode = async (promise: Promise<unknown>, code: AccountError['code']) => {
    const error = await promise.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(AccountError);
    expect((error as AccountError).code).toBe(code);
  };

  describe(`AccountStore on ${name}`, () => {
    it('creates an account and finds it by id and by username, case-insensitively', async () => {
      const { accounts } = fixture();
      const created = await accounts.create({ username: 'Alice', password: 'correct horse', name: 'Alice Liddell', email: 'alice@example.com' });
      expect(created).toMatchObject({ username: 'Alice', name: 'Alice Liddell', email: 'alice@example.com', emailVerified: false, disabled: false, admin: false });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.createdAt).toBeGreaterThan(0);
      expect(await accounts.findById(created.id)).toEqual(created);
      expect(await accounts.findByUsername('alice')).toEqual(created);
      expect(await accounts.findByUsername('ALICE')).toEqual(created);
      expect(created).not.toHaveProperty('password');
    });

    it('stores a scrypt hash, never the password', async () => {
      const { accounts, redis, keys } = fixture();
      const created = await accounts.create({ username: 'bob', password: 'bob password' });
      const stored = await redis.hgetall(keys.account(created.id));
      expect(stored.password).toMatch(/^scrypt\$/);
      expect(JSON.stringify(stored)).not.toContain('bob password');
    });

    it('refuses a taken username, whatever its case', async () => {
      const { accounts } = fixture();
      await accounts.create({ username: 'carol', password: 'carol password' });
      await expectCode(accounts.create({ username: 'Carol', password: 'other password' }), 'ERR_ACCOUNT_EXISTS');
    });

    it('lets exactly one of two concurrent creations of a name win', async () => {
      const { accounts } = fixture();
      const results = await Promise.allSettled([
        accounts.create({ username: 'dave', password: 'first password' }),
        accounts.create({ username: 'dave', password: 'second password' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await accounts.list()).map((a) => a.username)).toEqual(['dave']);
    });

    it.each([
      ['an empty username', { username: '', password: 'long enough' }],
      ['a username with spaces', { username: 'a b', password: 'long enough' }],
      ['a username with a colon or braces', { username: 'a:{b}', password: 'long enough' }],
      ['a username over 64 characters', { username: 'a'.repeat(65), password: 'long enough' }],
      ['a password under 8 characters', { username: 'erin', password: 'short' }],
      ['an email that is not an address', { username: 'erin', password: 'long enough', email: 'erin at example' }],
    ])('refuses %s and writes nothing', async (_case, input) => {
      const { accounts } = fixture();
      await expectCode(accounts.create(input), 'ERR_ACCOUNT_INVALID');
      expect(await accounts.list()).toEqual([]);
      if (input.username === 'erin') expect((await accounts.create({ username: 'erin', password: 'long enough' })).username).toBe('erin');
    });

    it('authenticates the right password only, and never a disabled account', async () => {
      const { accounts } = fixture();
      const frank = await accounts.create({ username: 'frank', password: 'frank password' });
      expect(await accounts.authenticate('frank', 'frank password')).toEqual(frank);
      expect(await accounts.authenticate('FRANK', 'frank password')).toEqual(frank);
      expect(await accounts.authenticate('frank', 'wrong password')).toBeUndefined();
      expect(await accounts.authenticate('nobody', 'frank password')).toBeUndefined();
      expect(await accounts.authenticate('not a valid name', 'frank password')).toBeUndefined();
      expect((await accounts.setDisabled('frank', true)).disabled).toBe(true);
      expect(await accounts.authenticate('frank', 'frank password')).toBeUndefined();
      expect((await accounts.findById(frank.id))?.disabled).toBe(true);
      await accounts.setDisabled('frank', false);
      expect(await accounts.authenticate('frank', 'frank password')).toMatchObject({ id: frank.id, disabled: false });
    });

    it('changes a password: the old one stops working', async () => {
      const { accounts } = fixture();
      await accounts.create({ username: 'grace', password: 'old password' });
      await accounts.setPassword('grace', 'new password');
      expect(await accounts.authenticate('grace', 'old password')).toBeUndefined();
      expect(await accounts.authenticate('grace', 'new password')).toMatchObject({ username: 'grace' });
      await expectCode(accounts.setPassword('grace', 'short'), 'ERR_ACCOUNT_INVALID');
      await expectCode(accounts.setPassword('nobody', 'long enough'), 'ERR_ACCOUNT_NOT_FOUND');
      await expectCode(accounts.setDisabled('nobody', true), 'ERR_ACCOUNT_NOT_FOUND');
    });

    it('lists accounts sorted by username', async () => {
      const { accounts } = fixture();
      for (const username of ['mike', 'heidi', 'ivan']) await accounts.create({ username, password: 'long enough' });
      expect((await accounts.list()).map((a) => a.username)).toEqual(['heidi', 'ivan', 'mike']);
    });

    it('removes an account completely, freeing its name', async () => {
      const { accounts, redis, keys } = fixture();
      const judy = await accounts.create({ username: 'judy', password: 'judy password' });
      expect((await accounts.remove('JUDY')).id).toBe(judy.id);
      expect(await accounts.findById(judy.id)).toBeUndefined();
      expect(await accounts.findByUsername('judy')).toBeUndefined();
      expect(await accounts.list()).toEqual([]);
      expect(await redis.exists(keys.account(judy.id), keys.accountByUsername('judy'))).toBe(0);
      const again = await accounts.create({ username: 'judy', password: 'another password' });
      expect(again.id).not.toBe(judy.id);
      await expectCode(accounts.remove('nobody'), 'ERR_ACCOUNT_NOT_FOUND');
    });

    it('finds nothing for ids that are not account ids', async () => {
      const { accounts } = fixture();
      for (const id of ['', 'x', '../etc', '00000000-0000-0000-0000-000000000000', '{tag}']) expect(await accounts.findById(id)).toBeUndefined();
    });
  });
}
