// Typed errors of the store boundary. Callers switch on `code`, which never changes once published.

/** Base class: every error the store raises on purpose carries a stable `code`. */
export abstract class StoreError extends Error {
  abstract readonly code: string;
}

/**
 * Redis could not be reached or cannot serve right now (connection refused or closed, retries
 * exhausted, loading, failover). The HTTP layer answers 503; the request may be retried later.
 */
export class StoreUnavailableError extends StoreError {
  readonly code = 'ERR_STORE_UNAVAILABLE';
  constructor(cause: unknown) {
    super('the store (Redis) is unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * A write for a grant that has been revoked. Raised instead of silently dropping the write so
 * that nothing is handed out (a code, a token) that the store will not honour.
 */
export class GrantRevokedError extends StoreError {
  readonly code = 'ERR_GRANT_REVOKED';
  readonly grantId: string;
  constructor(grantId: string) {
    super('the grant has been revoked');
    this.name = 'GrantRevokedError';
    this.grantId = grantId;
  }
}

// Node socket errors that mean "no usable connection", as opposed to a bad command.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// Server replies that mean "this node cannot serve now" (startup, failover, slot migration, busy
// script). A MOVED or ASK that reaches us means ioredis could not follow it: the slot's owner is down.
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|READONLY|TRYAGAIN|NOREPLICAS|MOVED|ASK)\b/;
// ioredis' own messages for a dead connection, exhausted retries or a Cluster it cannot route in.
const CLIENT_MESSAGES = new RegExp(
  '^(' +
    [
      'Connection is closed',
      'Connection is aborted',
      'Command aborted due to connection close',
      "Stream isn't writeable",
      'Socket timeout',
      'Command timed out',
      'Ready check failed',
      'Reached the max retries per request limit',
      'Failed to refresh slots cache',
      'None of startup nodes is available',
      'Too many Cluster redirections',
      'Cluster is (disconnected|disconnecting|ended)',
      "Cluster isn't ready",
      'Node is disconnected',
    ].join('|') +
    ')',
);
const CLIENT_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);

/** True for failures of the connection or of the server's availability, false for logic errors. */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  if (CLIENT_NAMES.has(error.name)) return true;
  return UNAVAILABLE_REPLIES.test(error.message) || CLIENT_MESSAGES.test(error.message);
}

/** Runs a store operation, turning connection failures into StoreUnavailableError. */
export async function guardStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw isConnectionFailure(error) ? new StoreUnavailableError(error) : error;
  }
}
