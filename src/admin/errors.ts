import type { Actor } from '../revocation/audit.ts';

// The admin API's error catalogue. Codes are stable: automation branches on `code`, never on the
// message. src/admin/README.md renders this table; test/unit/admin/catalogue.test.ts keeps the two
// identical.

export interface AdminErrorDefinition {
  readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 500 | 503;
  /** One line, public: the README table's text and the default message. */
  readonly meaning: string;
}

export const ADMIN_ERROR_CODES = Object.freeze({
  ERR_ADMIN_UNAUTHENTICATED: { status: 401, meaning: 'No bearer token, or it does not verify: signature, `typ`, issuer, audience (must be the admin resource), expiry, or it is revoked.' },
  ERR_ADMIN_FORBIDDEN: { status: 403, meaning: 'The token verifies but lacks the `admin` scope, or its client or account may not administer.' },
  ERR_ADMIN_NOT_FOUND: { status: 404, meaning: 'No such route, account or grant.' },
  ERR_ADMIN_METHOD_NOT_ALLOWED: { status: 405, meaning: 'The route exists but not with this method; see `Allow`.' },
  ERR_ADMIN_VALIDATION: { status: 400, meaning: 'The body or query failed validation; `details` lists each problem with its path.' },
  ERR_ADMIN_MALFORMED_BODY: { status: 400, meaning: 'The body is not valid JSON.' },
  ERR_ADMIN_BODY_TOO_LARGE: { status: 413, meaning: 'The body exceeds 16 KiB.' },
  ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'A body was sent without `Content-Type: application/json`.' },
  ERR_ADMIN_CONFLICT: { status: 409, meaning: 'The change conflicts with existing state (e.g. the username is taken).' },
  ERR_ADMIN_UNAVAILABLE: { status: 503, meaning: 'The store (Redis) is unreachable. Retry: revocations write the denylist first and are safe to repeat.' },
  ERR_ADMIN_INTERNAL: { status: 500, meaning: 'An unexpected failure; the `requestId` finds it in the logs.' },
} as const satisfies Record<string, AdminErrorDefinition>);

export type AdminErrorCode = keyof typeof ADMIN_ERROR_CODES;

/** One validation problem: the dotted path of the offending field and what is wrong with it. */
export interface AdminErrorDetail {
  path: string;
  message: string;
}

/**
 * An admin API failure with a stable code; the error middleware turns it into the JSON body
 * `{ code, message, details?, requestId }`.
 *
 * @example
 * ```ts
 * throw new AdminError('ERR_ADMIN_NOT_FOUND', `no grant ${grantId}`);
 * ```
 */
export class AdminError extends Error {
  readonly code: AdminErrorCode;
  readonly status: number;
  readonly details: AdminErrorDetail[] | undefined;
  /** Extra response headers (WWW-Authenticate, Allow). */
  readonly headers: Record<string, string>;
  /** A caller whose token verified but who was refused (403): known, so the refusal is audited. */
  readonly actor: Actor | undefined;

  constructor(code: AdminErrorCode, message?: string, options: { details?: AdminErrorDetail[]; headers?: Record<string, string>; actor?: Actor; cause?: unknown } = {}) {
    super(message ?? ADMIN_ERROR_CODES[code].meaning, { cause: options.cause });
    this.name = 'AdminError';
    this.code = code;
    this.status = ADMIN_ERROR_CODES[code].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
    this.actor = options.actor;
  }
}
