import { describe, expect, it } from 'vitest';
import { GrantRevokedError, guardStore, isConnectionFailure, StoreUnavailableError } from '../../../src/store/errors.ts';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('store errors', () => {
  it('classifies connection-level failures as unavailable', () => {
    expect(isConnectionFailure(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).toBe(true);
    expect(isConnectionFailure(new Error('Connection is closed.'))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
    expect(isConnectionFailure(new Error('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isConnectionFailure(new Error('CLUSTERDOWN The cluster is down'))).toBe(true);
    expect(isConnectionFailure(new Error('READONLY You can\'t write against a read only replica.'))).toBe(true);
    // Cluster: the slot's owner died and ioredis gave up following redirections to it.
    expect(isConnectionFailure(new Error('MOVED 8442 127.0.0.1:40883'))).toBe(true);
    expect(isConnectionFailure(new Error('Too many Cluster redirections. Last error: Error: Connection is closed.'))).toBe(true);
    expect(isConnectionFailure(new Error('Cluster is disconnected.'))).toBe(true);
    expect(isConnectionFailure(new Error('Command aborted due to connection close'))).toBe(true);
  });

  it('leaves logic errors alone', () => {
    expect(isConnectionFailure(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isConnectionFailure(new Error('ERR Error running script'))).toBe(false);
    expect(isConnectionFailure(new Error('CROSSSLOT Keys in request don\'t hash to the same slot'))).toBe(false);
    expect(isConnectionFailure(new TypeError('bad'))).toBe(false);
    expect(isConnectionFailure('ECONNREFUSED')).toBe(false);
  });

  it('guardStore wraps only connection failures and keeps the cause', async () => {
    const cause = withCode('reset', 'ECONNRESET');
    const wrapped = await guardStore(() => Promise.reject(cause)).catch((e: unknown) => e);
    expect(wrapped).toBeInstanceOf(StoreUnavailableError);
    expect(wrapped).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', cause });
    const revoked = new GrantRevokedError('g1');
    await expect(guardStore(() => Promise.reject(revoked))).rejects.toBe(revoked);
    await expect(guardStore(async () => 42)).resolves.toBe(42);
  });
});
