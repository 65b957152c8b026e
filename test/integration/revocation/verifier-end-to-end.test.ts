// End to end: tokens from the real provider, verified by portcullis/verifier instances following
// the real denylist. An admin revocation makes the revoked grant's tokens fail everywhere while the
// same user's other grant keeps verifying.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createVerifier, type Verifier } from '../../../src/verifier/index.ts';
import { API } from '../../helpers/portcullis.ts';
import { admin, automationToken, startAdminOp, type AdminOp } from '../admin/support.ts';
import { postForm } from '../conformance/support.ts';
import { outcome, waitFor } from '../verifier/support/wait-for.ts';
import { login } from './support.ts';

let op: AdminOp;
let adminToken: string;
const verifiers: Verifier[] = [];

async function startVerifier(): Promise<Verifier> {
  const verifier = createVerifier({
    issuer: op.issuer,
    audience: API,
    redis: inject('redisUrl'),
    keyPrefix: op.config.redis.keyPrefix,
    maxTokenTtlSeconds: op.revoker.maxAccessTokenTtlSeconds + 60,
  });
  verifiers.push(verifier);
  await verifier.ready();
  return verifier;
}

beforeAll(async () => {
  op = await startAdminOp();
  adminToken = await automationToken(op);
});

afterAll(async () => {
  await Promise.all(verifiers.map((v) => v.close()));
  await op.close();
});

describe('revocation reaches every verifier', () => {
  it('an admin-revoked grant is refused by every verifier while another grant of the same user verifies', async () => {
    const fleet = [await startVerifier(), await startVerifier(), await startVerifier()];
    const revoked = await login(op, 'web');
    const kept = await login(op, 'spa');
    for (const verifier of fleet) {
      expect(await outcome(verifier.verify(revoked.access_token))).toBe('OK');
      expect(await outcome(verifier.verify(kept.access_token))).toBe('OK');
    }

    const response = await admin(op, 'POST', `/grants/${revoked.grantId}/revoke`, { token: adminToken, body: { reason: 'e2e' } });
    expect(response.status).toBe(200);

    for (const verifier of fleet) {
      await waitFor(async () => (await outcome(verifier.verify(revoked.access_token))) === 'ERR_TOKEN_REVOKED');
      expect(await outcome(verifier.verify(kept.access_token))).toBe('OK');
    }
    // A verifier started after the revocation reads it from the stream's snapshot.
    const late = await startVerifier();
    expect(await outcome(late.verify(revoked.access_token))).toBe('ERR_TOKEN_REVOKED');
    expect(await outcome(late.verify(kept.access_token))).toBe('OK');
  });

  it('revoking everything of a user refuses all of their earlier access tokens', async () => {
    const verifier = await startVerifier();
    const account = await op.accounts.create({ username: 'mallory-victim', password: 'victim password 1' });
    const first = await login(op, 'web', { username: 'mallory-victim', password: 'victim password 1' });
    const second = await login(op, 'spa', { username: 'mallory-victim', password: 'victim password 1' });
    const bystander = await login(op, 'web');
    expect(await outcome(verifier.verify(first.access_token))).toBe('OK');

    expect((await admin(op, 'POST', `/accounts/${account.id}/revoke`, { token: adminToken })).status).toBe(200);

    await waitFor(async () => (await outcome(verifier.verify(first.access_token))) === 'ERR_TOKEN_REVOKED');
    await waitFor(async () => (await outcome(verifier.verify(second.access_token))) === 'ERR_TOKEN_REVOKED');
    expect(await outcome(verifier.verify(bystander.access_token))).toBe('OK');
  });

  it('RFC 7009 revocation of a refresh token refuses the grant’s access tokens too', async () => {
    const verifier = await startVerifier();
    const tokens = await login(op, 'web');
    expect((await postForm(op, '/token/revocation', 'web', { token: tokens.refresh_token as string })).status).toBe(200);
    await waitFor(async () => (await outcome(verifier.verify(tokens.access_token))) === 'ERR_TOKEN_REVOKED');
  });
});
