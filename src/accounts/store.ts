// Accounts live in Redis hashes (in memory in development). The username index is written with
// SET NX first, so two concurrent creations of one name cannot both succeed.
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../store/connect.ts';
import type { Keys } from '../store/keys.ts';
import { burnVerification, hashPassword, verifyPassword } from './password.ts';

export interface Account {
  id: string;
  username: string;
  name?: string | undefined;
  email?: string | undefined;
  emailVerified: boolean;
  disabled: boolean;
  admin: boolean;
  createdAt: number;
}

export interface NewAccount {
  username: string;
  password: string;
  name?: string | undefined;
  email?: string | undefined;
  admin?: boolean | undefined;
}

export class AccountError extends Error {
  readonly code: 'ERR_ACCOUNT_EXISTS' | 'ERR_ACCOUNT_NOT_FOUND' | 'ERR_ACCOUNT_INVALID';
  constructor(code: AccountError['code'], message: string) {
    super(message);
    this.name = 'AccountError';
    this.code = code;
  }
}

const USERNAME = /^[A-Za-z0-9._@+-]{1,64}$/;
export const MIN_PASSWORD_LENGTH = 8;

function validate(account: NewAccount): void {
  if (!USERNAME.test(account.username)) throw new AccountError('ERR_ACCOUNT_INVALID', 'username: 1-64 characters of letters, digits and . _ @ + -');
  if (account.password.length < MIN_PASSWORD_LENGTH) throw new AccountError('ERR_ACCOUNT_INVALID', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
  if (account.email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(account.email)) throw new AccountError('ERR_ACCOUNT_INVALID', 'email: not an address');
}

function fromHash(id: string, fields: Record<string, string>): Account | undefined {
  if (!fields.username) return undefined;
  return {
    id,
    username: fields.username,
    name: fields.name || undefined,
    email: fields.email || undefined,
    emailVerified: fields.email_verified === '1',
    disabled: fields.disabled === '1',
    admin: fields.admin === '1',
    createdAt: Number(fields.created_at),
  };
}

export class AccountStore {
  readonly #redis: RedisClient;
  readonly #keys: Keys;

  constructor(redis: RedisClient, keys: Keys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async create(input: NewAccount): Promise<Account> {
    validate(input);
    const id = randomUUID();
    const passwordHash = await hashPassword(input.password);
    const claimed = await this.#redis.set(this.#keys.accountByUsername(input.username), id, 'NX');
    if (claimed !== 'OK') throw new AccountError('ERR_ACCOUNT_EXISTS', `username ${input.username} is taken`);
    const fields: Record<string, string> = {
      username: input.username,
      password: passwordHash,
      created_at: String(Date.now()),
      email_verified: '0',
      disabled: '0',
      admin: input.admin ? '1' : '0',
    };
    if (input.name) fields.name = input.name;
    if (input.email) fields.email = input.email;
    try {
      await this.#redis.hset(this.#keys.account(id), fields);
      await this.#redis.sadd(this.#keys.accountIds(), id);
    } catch (error) {
      // Release the name so a failed creation leaves nothing half-written behind.
      // One key per DEL: the two live in different cluster slots.
      await Promise.allSettled([this.#redis.del(this.#keys.account(id)), this.#redis.del(this.#keys.accountByUsername(input.username))]);
      throw error;
    }
    return fromHash(id, fields) as Account;
  }

  async findById(id: string): Promise<Account | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    return fromHash(id, await this.#redis.hgetall(this.#keys.account(id)));
  }

  async findByUsername(username: string): Promise<Account | undefined> {
    if (!USERNAME.test(username)) return undefined;
    const id = await this.#redis.get(this.#keys.accountByUsername(username));
    return id ? this.findById(id) : undefined;
  }

  async list(): Promise<Account[]> {
    const ids = await this.#redis.smembers(this.#keys.accountIds());
    const accounts = await Promise.all(ids.map((id) => this.findById(id)));
    return accounts.filter((a): a is Account => a !== undefined).sort((a, b) => a.username.localeCompare(b.username));
  }

  /**
   * Checks a username and password. Unknown users, disabled accounts and wrong passwords cost the
   * same work and give the same answer (undefined).
   */
  async authenticate(username: string, password: string): Promise<Account | undefined> {
    const account = await this.findByUsername(username);
    const hash = account ? await this.#redis.hget(this.#keys.account(account.id), 'password') : null;
    if (!account || !hash) return burnVerification(password).then(() => undefined);
    const ok = await verifyPassword(password, hash);
    return ok && !account.disabled ? account : undefined;
  }

  async setPassword(username: string, password: string): Promise<Account> {
    const account = await this.#require(username);
    if (password.length < MIN_PASSWORD_LENGTH) throw new AccountError('ERR_ACCOUNT_INVALID', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
    await this.#redis.hset(this.#keys.account(account.id), 'password', await hashPassword(password));
    return account;
  }

  async setDisabled(username: string, disabled: boolean): Promise<Account> {
    const account = await this.#require(username);
    await this.#redis.hset(this.#keys.account(account.id), 'disabled', disabled ? '1' : '0');
    return { ...account, disabled };
  }

  async remove(username: string): Promise<Account> {
    const account = await this.#require(username);
    await this.#redis.del(this.#keys.account(account.id));
    await this.#redis.srem(this.#keys.accountIds(), account.id);
    await this.#redis.del(this.#keys.accountByUsername(account.username));
    return account;
  }

  async #require(username: string): Promise<Account> {
    const account = await this.findByUsername(username);
    if (!account) throw new AccountError('ERR_ACCOUNT_NOT_FOUND', `no account ${username}`);
    return account;
  }
}
