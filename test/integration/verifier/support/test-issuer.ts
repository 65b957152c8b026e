// A real issuer for verifier tests: its own key pair, a JWKS served by node:http on a free
// loopback port, and helpers that mint access tokens and DPoP proofs with jose.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const AUDIENCE = 'https://orders.test';

export interface TestIssuer {
  readonly issuer: string;
  /** The public key the JWKS serves (for benchmarks comparing against bare jose). */
  readonly publicKey: CryptoKey;
  /** Signs an access token; `claims` override the defaults, `undefined` removes one. */
  token(claims?: Record<string, unknown>, options?: { header?: Record<string, unknown>; key?: CryptoKey; alg?: string }): Promise<string>;
  /** How many times the JWKS was fetched. */
  readonly jwksHits: number;
  stop(): Promise<void>;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  let hits = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/jwks') {
      res.statusCode = 404;
      res.end();
      return;
    }
    hits += 1;
    res.setHeader('content-type', 'application/jwk-set+json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    publicKey,
    get jwksHits() {
      return hits;
    },
    async token(claims = {}, options = {}) {
      const now = nowSeconds();
      const payload: Record<string, unknown> = {
        iss: issuer,
        sub: 'user-1',
        aud: AUDIENCE,
        client_id: 'client-1',
        scope: 'openid orders:read',
        iat: now,
        exp: now + 300,
        jti: randomUUID(),
        grant_id: 'grant-1',
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload as JWTPayload)
        .setProtectedHeader({ alg: options.alg ?? 'ES256', typ: 'at+jwt', kid: 'k1', ...options.header })
        .sign(options.key ?? privateKey);
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A DPoP client: its key pair, thumbprint, and a proof factory (RFC 9449 §4.2). */
export interface DpopClient {
  readonly jkt: string;
  proof(options: { method: string; url: string; accessToken: string; iat?: number; jti?: string; key?: CryptoKey; typ?: string }): Promise<string>;
}

export async function createDpopClient(): Promise<DpopClient> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk: JWK = await exportJWK(publicKey);
  return {
    jkt: await calculateJwkThumbprint(jwk, 'sha256'),
    proof: ({ method, url, accessToken, iat = nowSeconds(), jti = randomUUID(), key = privateKey, typ = 'dpop+jwt' }) =>
      new SignJWT({ htm: method, htu: url, iat, jti, ath: createHash('sha256').update(accessToken).digest('base64url') })
        .setProtectedHeader({ alg: 'ES256', typ, jwk })
        .sign(key),
  };
}
