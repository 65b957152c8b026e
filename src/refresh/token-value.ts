// The refresh-token string. Opaque to clients, but it names its own family, so every key of a
// family lives in its grant's hash slot without a pointer key, and old generations can be
// recognised without keeping anything per consumed token:
//
//   <grantId>.<familyId>.<generation base 36>.<secret>    secret = nonce(16) ‖ MAC(16), base64url
//
// The nonce is never stored (Redis keeps SHA-256 of the whole value), so a Redis dump yields no
// live token. The MAC (HMAC-SHA-256 under a key derived from the cookie keys, which are not in
// Redis) proves that a superseded token was really issued by us: only such a token may revoke a
// grant, so knowing a grant id (it is in every access token) is not enough to log a user out.
import { createHash, createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

// 128 bits each: the nonce makes the value unguessable (RFC 6819 §5.1.4.2.2), the MAC unforgeable.
const NONCE_BYTES = 16;
const MAC_BYTES = 16;
// 96 random bits: families of one grant never collide.
const FAMILY_ID_BYTES = 12;
const MAC_KEY_INFO = 'portcullis refresh-token mac v1';
const PART = /^[A-Za-z0-9_-]+$/;
const GENERATION = /^[0-9a-z]{1,10}$/;

export interface RefreshTokenParts {
  grantId: string;
  familyId: string;
  generation: number;
  /** `<grantId>.<familyId>.<generation>`, the MACed header. */
  header: string;
  nonce: Buffer;
  mac: Buffer;
}

export function newFamilyId(): string {
  return randomBytes(FAMILY_ID_BYTES).toString('base64url');
}

/** Parses a presented value; undefined when it is not one of ours (never throws on input). */
export function parseRefreshToken(value: string): RefreshTokenParts | undefined {
  if (value.length > 256) return undefined;
  const parts = value.split('.');
  if (parts.length !== 4) return undefined;
  const [grantId, familyId, generation36, secret] = parts as [string, string, string, string];
  if (!PART.test(grantId) || !PART.test(familyId) || !GENERATION.test(generation36) || !PART.test(secret)) return undefined;
  const raw = Buffer.from(secret, 'base64url');
  if (raw.length !== NONCE_BYTES + MAC_BYTES) return undefined;
  return {
    grantId,
    familyId,
    generation: Number.parseInt(generation36, 36),
    header: `${grantId}.${familyId}.${generation36}`,
    nonce: raw.subarray(0, NONCE_BYTES),
    mac: raw.subarray(NONCE_BYTES),
  };
}

/** What Redis keeps of a token: enough to recognise it, useless to present. */
export function tokenHash(value: string): string {
  // 128 bits of SHA-256: equality with an unguessable value needs no more.
  return createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');
}

/** Mints and authenticates token values. Keys: newest first; verification accepts any. */
export class RefreshTokenMinter {
  // KeyObjects, made once: createHmac with raw key bytes re-imports the key on every call.
  readonly #keys: KeyObject[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new TypeError('refresh-token MAC needs at least one secret');
    this.#keys = secrets.map((secret) => createSecretKey(Buffer.from(hkdfSync('sha256', secret, '', MAC_KEY_INFO, 32))));
  }

  #mac(key: KeyObject, header: string, nonce: Buffer): Buffer {
    return createHmac('sha256', key).update(header).update('.').update(nonce).digest().subarray(0, MAC_BYTES);
  }

  mint(grantId: string, familyId: string, generation: number): string {
    const header = `${grantId}.${familyId}.${generation.toString(36)}`;
    const nonce = randomBytes(NONCE_BYTES);
    const mac = this.#mac(this.#keys[0] as KeyObject, header, nonce);
    return `${header}.${Buffer.concat([nonce, mac]).toString('base64url')}`;
  }

  /** True when the value was minted by us (with any of the configured keys). */
  authentic(parts: RefreshTokenParts): boolean {
    return this.#keys.some((key) => timingSafeEqual(this.#mac(key, parts.header, parts.nonce), parts.mac));
  }
}
