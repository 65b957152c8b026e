// Who did what, as the revocation side reports it. The admin API's audit log implements the sink;
// revocation only depends on this shape, so the CLI and tests can pass their own.

/** Who asked. `client`: an OAuth client acting for itself or a user (RFC 7009, logout, reuse). */
export interface Actor {
  readonly kind: 'client' | 'account' | 'operator' | 'system';
  /** Client id, account id, operator login or subsystem name. */
  readonly id: string;
  /** The client the actor came through, when the actor is an account. */
  readonly clientId?: string | undefined;
}

/** Where a request came from, for the audit trail. */
export interface Origin {
  readonly ip?: string | undefined;
  readonly requestId?: string | undefined;
}

/** One audited action. */
export interface AuditRecord {
  readonly actor: Actor;
  /** Dotted verb, e.g. `grant.revoke`, `account.disable`. */
  readonly action: string;
  readonly target?: { readonly type: string; readonly id: string } | undefined;
  /** HTTP-like outcome: 200 done, 4xx refused, 5xx failed. */
  readonly status: number;
  readonly origin?: Origin | undefined;
  readonly reason?: string | undefined;
  /** Small JSON-serialisable facts (counts, denylist entry ids, source route). */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

export interface AuditSink {
  record(entry: AuditRecord): Promise<void>;
}
