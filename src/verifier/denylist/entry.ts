// The denylist stream's wire format, shared by the writer (provider) and the reader (verifier), so
// both sides of the contract are one piece of code.

/**
 * Revokes one access token by its `jti`.
 *
 * @example
 * ```ts
 * const entry: JtiDenylistEntry = { kind: 'jti', value: claims.jti, expiresAt: claims.exp };
 * ```
 */
export interface JtiDenylistEntry {
  readonly kind: 'jti';
  readonly value: string;
  /** Unix seconds after which no live token can match (the token's own `exp` is enough). */
  readonly expiresAt: number;
}

/**
 * Revokes every access token issued from one grant (`grant_id` claim).
 *
 * @example
 * ```ts
 * const entry: GrantDenylistEntry = { kind: 'grant', value: claims.grant_id!, expiresAt: nowSeconds + 360 };
 * ```
 */
export interface GrantDenylistEntry {
  readonly kind: 'grant';
  readonly value: string;
  /** Unix seconds: revocation time + the longest access-token lifetime. */
  readonly expiresAt: number;
}

/**
 * Revokes every access token of one subject issued (`iat`) strictly before `before`.
 *
 * @example
 * ```ts
 * const entry: SubjectDenylistEntry = { kind: 'sub', value: accountId, before: nowSeconds, expiresAt: nowSeconds + 360 };
 * ```
 */
export interface SubjectDenylistEntry {
  readonly kind: 'sub';
  readonly value: string;
  /** Unix seconds; tokens with `iat < before` are revoked. */
  readonly before: number;
  /** Unix seconds: `before` + the longest access-token lifetime. */
  readonly expiresAt: number;
}

/**
 * One denylist stream entry.
 *
 * @example
 * ```ts
 * const entry: DenylistEntry = { kind: 'grant', value: grantId, expiresAt: now + 3600 };
 * ```
 */
export type DenylistEntry = JtiDenylistEntry | GrantDenylistEntry | SubjectDenylistEntry;

function isUnixSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Checks an entry before it is written; throws a TypeError naming the bad field.
 *
 * @example
 * ```ts
 * assertDenylistEntry({ kind: 'jti', value: 'abc', expiresAt: 1_900_000_000 });
 * ```
 */
export function assertDenylistEntry(entry: DenylistEntry): void {
  if (entry.kind !== 'jti' && entry.kind !== 'grant' && entry.kind !== 'sub') {
    throw new TypeError(`denylist entry.kind must be "jti", "grant" or "sub"`);
  }
  if (typeof entry.value !== 'string' || entry.value.length === 0) throw new TypeError('denylist entry.value must be a non-empty string');
  if (!isUnixSeconds(entry.expiresAt)) throw new TypeError('denylist entry.expiresAt must be unix seconds (a non-negative integer)');
  if (entry.kind === 'sub' && !isUnixSeconds(entry.before)) throw new TypeError('denylist entry.before must be unix seconds (a non-negative integer)');
}

/**
 * Flattens an entry into XADD field/value pairs (`kind`, `value`, `expires_at`, `before`).
 *
 * @example
 * ```ts
 * await redis.xadd(stream, '*', ...encodeDenylistEntry(entry));
 * ```
 */
export function encodeDenylistEntry(entry: DenylistEntry): string[] {
  const fields = ['kind', entry.kind, 'value', entry.value, 'expires_at', String(entry.expiresAt)];
  if (entry.kind === 'sub') fields.push('before', String(entry.before));
  return fields;
}

/**
 * Reads XREAD/XRANGE field pairs back into an entry; `undefined` for anything malformed, so one bad
 * write cannot stop a follower.
 *
 * @example
 * ```ts
 * const entry = decodeDenylistEntry(['kind', 'jti', 'value', 'abc', 'expires_at', '1900000000']);
 * ```
 */
export function decodeDenylistEntry(fields: readonly string[]): DenylistEntry | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  const kind = map.get('kind');
  const value = map.get('value');
  const expiresAt = Number(map.get('expires_at'));
  if (!value || !isUnixSeconds(expiresAt)) return undefined;
  if (kind === 'jti' || kind === 'grant') return { kind, value, expiresAt };
  if (kind === 'sub') {
    const before = Number(map.get('before'));
    return isUnixSeconds(before) ? { kind, value, before, expiresAt } : undefined;
  }
  return undefined;
}
