// DPoP (RFC 9449) for a public client: the refresh token is bound to the key the client proved
// at the code exchange, rotation still applies, and a proof from another key is refused, also
// inside the grace window (where it must not be handed the stored response).
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningPortcullis } from '../../helpers/portcullis.ts';
import { dpopKey, jwtClaims, login, refresh, startRefreshOp, type DpopKey } from './support.ts';

let op: RunningPortcullis;
let key: DpopKey;
let otherKey: DpopKey;

beforeAll(async () => {
  op = await startRefreshOp(inject('redisUrl'));
  key = await dpopKey();
  otherKey = await dpopKey();
});

afterAll(async () => {
  await op.close();
});

describe('DPoP-bound refresh tokens of a public client', () => {
  it('rotate with proofs of the bound key; another key or no proof is refused and revokes nothing', async () => {
    const tokens = await login(op, 'spa', { dpop: key });
    expect(tokens.token_type).toBe('DPoP');
    expect(jwtClaims(tokens.access_token).cnf).toEqual({ jkt: key.thumbprint });

    const stolen = await refresh(op, 'spa', tokens.refresh_token as string, { dpop: otherKey });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
    const bare = await refresh(op, 'spa', tokens.refresh_token as string);
    expect(bare.status).toBe(400);
    expect(bare.body.error).toBe('invalid_grant');

    const rotated = await refresh(op, 'spa', tokens.refresh_token as string, { dpop: key });
    expect(rotated.status).toBe(200);
    expect(rotated.body.token_type).toBe('DPoP');
    expect(rotated.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(jwtClaims(rotated.body.access_token).cnf).toEqual({ jkt: key.thumbprint });

    // The successor is bound to the same key.
    expect((await refresh(op, 'spa', rotated.body.refresh_token as string, { dpop: otherKey })).status).toBe(400);
    expect((await refresh(op, 'spa', rotated.body.refresh_token as string, { dpop: key })).status).toBe(200);
  });

  it('inside the grace window: the bound key gets the stored response, another key is refused', async () => {
    const tokens = await login(op, 'spa', { dpop: key });
    const presented = tokens.refresh_token as string;
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(op, 'spa', presented, { dpop: key })));
    for (const result of results) expect(result.body).toEqual(results[0]?.body);
    expect(results[0]?.status).toBe(200);

    const late = await refresh(op, 'spa', presented, { dpop: otherKey });
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
    expect(JSON.stringify(late.body)).not.toContain(results[0]?.body.access_token);
  });

  it('work with oauth4webapi as the client, which proves possession on every refresh', async () => {
    const as = await oauth.processDiscoveryResponse(new URL(op.issuer), await oauth.discoveryRequest(new URL(op.issuer), { [oauth.allowInsecureRequests]: true }));
    const client: oauth.Client = { client_id: 'spa' };
    const DPoP = oauth.DPoP(client, { privateKey: key.privateKey, publicKey: key.publicKey });
    const tokens = await login(op, 'spa', { dpop: key });

    let refreshToken = tokens.refresh_token as string;
    for (let i = 0; i < 2; i += 1) {
      const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, { DPoP, [oauth.allowInsecureRequests]: true });
      const result = await oauth.processRefreshTokenResponse(as, client, response);
      expect(result.token_type).toBe('dpop');
      expect(result.refresh_token).not.toBe(refreshToken);
      refreshToken = result.refresh_token as string;
    }
  });
});
