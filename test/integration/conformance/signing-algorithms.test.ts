// `keys.algorithm` selects the signing algorithm: the JWKS publishes a key for it, discovery
// advertises it, and ID tokens and RFC 9068 access tokens are signed with it and verify against the
// published JWKS with exactly that algorithm.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { API } from '../../helpers/portcullis.ts';
import { jwtHeader, obtainTokens, startConformanceOp } from './support.ts';

const EXPECTED_KEY_TYPE = { ES256: { kty: 'EC', crv: 'P-256' }, RS256: { kty: 'RSA' }, EdDSA: { kty: 'OKP', crv: 'Ed25519' } } as const;

describe.each(['RS256', 'EdDSA', 'ES256'] as const)('keys.algorithm = %s', (algorithm) => {
  it('publishes a matching key and signs ID and access tokens that verify with it', async () => {
    const op = await startConformanceOp({ overrides: { keys: { algorithm } } });
    try {
      const metadata = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(metadata.id_token_signing_alg_values_supported).toEqual([algorithm]);

      const { keys } = (await (await fetch(metadata.jwks_uri as string)).json()) as { keys: Record<string, unknown>[] };
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ alg: algorithm, use: 'sig', ...EXPECTED_KEY_TYPE[algorithm] });
      expect(keys[0]).not.toHaveProperty('d');

      const tokens = await obtainTokens(op, 'web', { scope: 'openid orders:read', resource: API });
      const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri as string));
      expect(jwtHeader(tokens.id_token as string)).toMatchObject({ alg: algorithm, kid: keys[0]?.kid });
      const idToken = await jwtVerify(tokens.id_token as string, jwks, { algorithms: [algorithm], issuer: op.issuer, audience: 'web' });
      expect(idToken.payload.sub).toBe(op.sub);

      expect(jwtHeader(tokens.access_token)).toMatchObject({ alg: algorithm, typ: 'at+jwt', kid: keys[0]?.kid });
      const accessToken = await jwtVerify(tokens.access_token, jwks, { algorithms: [algorithm], issuer: op.issuer, audience: API, typ: 'at+jwt' });
      expect(accessToken.payload.client_id).toBe('web');
    } finally {
      await op.close();
    }
  });
});
