// Signing keys and cookie keys. Production reads a private JWKS file and COOKIE_KEYS; development
// generates them once and keeps them in the store, so every instance and every restart agree.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Config } from '../config/schema.ts';
import type { RedisClient } from '../store/connect.ts';
import type { Keys } from '../store/keys.ts';

export interface Secrets {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

const PRIVATE_PARTS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

export function readJwksFile(path: string): { keys: JWK[] } {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { keys?: unknown };
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) throw new Error(`${path}: expected {"keys":[...]} with at least one key`);
  const keys = parsed.keys as JWK[];
  for (const key of keys) {
    if (!key.d) throw new Error(`${path}: key ${key.kid ?? '(no kid)'} has no private part; signing needs private keys`);
  }
  return { keys };
}

export async function generateSigningKey(algorithm: Config['keys']['algorithm']): Promise<JWK> {
  const { privateKey } = await generateKeyPair(algorithm, { extractable: true, ...(algorithm === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  const publicJwk: JWK = { ...jwk };
  for (const part of PRIVATE_PARTS) delete publicJwk[part];
  return { ...jwk, kid: await calculateJwkThumbprint(publicJwk), alg: algorithm, use: 'sig' };
}

async function developmentSecrets(config: Readonly<Config>, redis: RedisClient, keys: Keys): Promise<Secrets> {
  const field = `v1:${config.keys.algorithm}`;
  const stored = await redis.hget(keys.developmentSecrets(), field);
  if (stored) return JSON.parse(stored) as Secrets;
  const fresh: Secrets = {
    jwks: { keys: [await generateSigningKey(config.keys.algorithm)] },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
  // HSETNX: when two instances start at once, both end up with whichever was written first.
  await redis.hsetnx(keys.developmentSecrets(), field, JSON.stringify(fresh));
  return JSON.parse((await redis.hget(keys.developmentSecrets(), field)) as string) as Secrets;
}

export async function loadSecrets(config: Readonly<Config>, redis: RedisClient, keys: Keys): Promise<Secrets & { generated: boolean }> {
  const configured = config.keys.jwksFile ? readJwksFile(config.keys.jwksFile) : undefined;
  if (configured && config.cookies.keys.length > 0) {
    return { jwks: configured, cookieKeys: [...config.cookies.keys], generated: false };
  }
  const dev = await developmentSecrets(config, redis, keys);
  return {
    jwks: configured ?? dev.jwks,
    cookieKeys: config.cookies.keys.length > 0 ? [...config.cookies.keys] : dev.cookieKeys,
    generated: true,
  };
}
