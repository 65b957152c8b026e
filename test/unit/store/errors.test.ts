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
  });

  it('leaves logic errors alone', () => {
    expect(isConnectionFailure(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isConnectionFailure(new Error('ERR Error running script'))).toBe(false);
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
