// The grace entry: the winner's token response, kept for the grace window so that every request
// presenting the same old token gets the same successor. It is sealed with AES-256-GCM under a
// key derived (HKDF) from the old token itself, which Redis never holds: a Redis dump alone does
// not yield the live tokens inside. Compressed first, because it is most of a family's bytes.
import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const KEY_INFO = 'portcullis refresh-grace v1';
// GCM's standard 96-bit IV; a fresh random one per entry (each key seals at most a few entries).
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What the winner stores: the request shape it answered, and its response body. */
export interface GraceEntry {
  /** Fingerprint of the request (see fingerprint.ts): only an identical request gets this body. */
  fingerprint: string;
  body: Record<string, unknown>;
}

// As a KeyObject: createCipheriv with raw key bytes costs several times more (it imports them).
function keyFor(oldToken: string): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', oldToken, '', KEY_INFO, 32)));
}

/** `aad` binds the entry to its family and generation, so it cannot be replayed elsewhere. */
export function sealGraceEntry(oldToken: string, aad: string, entry: GraceEntry): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(oldToken), iv);
  cipher.setAAD(Buffer.from(aad));
  const plain = deflateRawSync(JSON.stringify({ f: entry.fingerprint, b: entry.body }));
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Opens an entry; undefined when the token, the AAD or the bytes do not match. */
export function openGraceEntry(oldToken: string, aad: string, sealed: Buffer): GraceEntry | undefined {
  if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(oldToken), sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    const parsed = JSON.parse(inflateRawSync(plain).toString()) as { f?: unknown; b?: unknown };
    if (typeof parsed.f !== 'string' || typeof parsed.b !== 'object' || parsed.b === null) return undefined;
    return { fingerprint: parsed.f, body: parsed.b as Record<string, unknown> };
  } catch {
    return undefined;
  }
}
