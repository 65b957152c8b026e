// Reads `Authorization: Bearer <token>` or `Authorization: DPoP <token>` (RFC 6750 §2.1, RFC 9449 §7.1).

/** The credentials a request presented. */
export interface PresentedToken {
  readonly scheme: 'Bearer' | 'DPoP';
  /** The token; undefined when the scheme came without a well-formed token68. */
  readonly token: string | undefined;
}

// RFC 9110 token68.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Parses an Authorization header; `undefined` when there is none or it uses another scheme
 * (Basic, ...), which RFC 6750 treats as "no token".
 *
 * @example
 * ```ts
 * parseAuthorization('DPoP eyJ...'); // { scheme: 'DPoP', token: 'eyJ...' }
 * ```
 */
export function parseAuthorization(header: string | undefined): PresentedToken | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  const name = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  // Auth schemes are case-insensitive (RFC 9110 §11.1).
  const scheme = name === 'bearer' ? 'Bearer' : name === 'dpop' ? 'DPoP' : undefined;
  if (!scheme) return undefined;
  const token = space === -1 ? '' : header.slice(space + 1).trim();
  return { scheme, token: TOKEN68.test(token) ? token : undefined };
}
