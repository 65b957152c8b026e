// Who may call the admin API: bearer JWT access tokens this provider issued for the admin resource
// (RFC 9068), checked in process against the provider's own public keys, never over HTTP.
//
// Policy (README "Authentication"):
//  - the token verifies (signature, `typ: at+jwt`, `iss`, `aud` = the admin resource, `exp`/`nbf`/`iat`)
//    and is not on the denylist                                                  → else 401
//  - its `scope` contains `admin`                                                → else 403
//  - its client is an admin client (configured `admin: true`)                    → else 403
//  - a client_credentials token (no grant, `sub` = `client_id`) acts as that client; a user token
//    also needs its `sub` to be an enabled account with the admin flag          → else 403
import { createLocalJWKSet, errors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { Account } from '../accounts/store.ts';
import type { Actor } from '../revocation/audit.ts';
import { AdminError } from './errors.ts';
import type { DenylistView } from './denylist-view.ts';

import { ADMIN_RESOURCE } from '../provider/resources.ts';

export { ADMIN_RESOURCE };
/** The scope every admin call requires. */
export const ADMIN_SCOPE = 'admin';
const REALM = 'portcullis-admin';
// RFC 9068 §2.2's required claims; jose names a missing one.
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'];

/** The authenticated caller of one admin request. */
export interface AdminPrincipal {
  /** `client`: a client_credentials token; `account`: a person signed in through an admin client. */
  kind: 'client' | 'account';
  /** Client id or account id. */
  id: string;
  clientId: string;
  jti: string;
}

export interface AdminAuthenticatorOptions {
  issuer: string;
  /** The provider's signing keys; private members are dropped here. */
  jwks: { keys: JWK[] };
  /** Accepted `alg` values (the provider's signing algorithms). */
  algorithms: string[];
  isAdminClient(clientId: string): boolean;
  findAccount(accountId: string): Promise<Account | undefined>;
  denylist: DenylistView;
  /** Seconds of leeway for `exp`/`nbf`/`iat`. Default 5, the same as portcullis/verifier. */
  clockToleranceSeconds?: number;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

function publicKeys(jwks: { keys: JWK[] }): { keys: JWK[] } {
  return {
    keys: jwks.keys.map((key) => {
      const copy: JWK = { ...key };
      for (const member of PRIVATE_MEMBERS) delete copy[member];
      return copy;
    }),
  };
}

function unauthenticated(description?: string, cause?: unknown): AdminError {
  const challenge = description ? `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"` : `Bearer realm="${REALM}"`;
  return new AdminError('ERR_ADMIN_UNAUTHENTICATED', description ? `the access token is not accepted: ${description}` : 'a bearer access token for the admin resource is required', {
    headers: { 'WWW-Authenticate': challenge },
    cause,
  });
}

function forbidden(actor: Actor, message: string, insufficientScope = false): AdminError {
  const challenge = insufficientScope
    ? `Bearer realm="${REALM}", error="insufficient_scope", error_description="the admin scope is required", scope="${ADMIN_SCOPE}"`
    : `Bearer realm="${REALM}", error="insufficient_scope", error_description="this client or account may not administer"`;
  return new AdminError('ERR_ADMIN_FORBIDDEN', message, { headers: { 'WWW-Authenticate': challenge }, actor });
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `${error.claim} ${error.reason === 'missing' ? 'missing' : 'invalid'}`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  return 'malformed';
}

/** Parses `Authorization: Bearer <token>` (RFC 6750 §2.1); undefined when absent. */
function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!match) throw unauthenticated('use the Bearer scheme');
  return match[1];
}

/** The audit trail's view of a principal. */
export function actorOf(principal: AdminPrincipal): Actor {
  return principal.kind === 'client' ? { kind: 'client', id: principal.id } : { kind: 'account', id: principal.id, clientId: principal.clientId };
}

/**
 * Builds the check every admin request passes: `Authorization` header in, principal out, or an
 * AdminError (401 with `WWW-Authenticate`, 403, or a store outage) thrown.
 *
 * @example
 * ```ts
 * const authenticate = createAdminAuthenticator({ issuer, jwks, algorithms: ['ES256'], isAdminClient, findAccount, denylist });
 * const principal = await authenticate(ctx.get('authorization'));
 * ```
 */
export function createAdminAuthenticator(options: AdminAuthenticatorOptions): (authorization: string | undefined) => Promise<AdminPrincipal> {
  const keys = createLocalJWKSet(publicKeys(options.jwks));
  const verifyOptions = {
    issuer: options.issuer,
    audience: ADMIN_RESOURCE,
    algorithms: options.algorithms,
    typ: 'at+jwt',
    clockTolerance: options.clockToleranceSeconds ?? 5,
    requiredClaims: REQUIRED_CLAIMS,
  };

  return async (authorization) => {
    const token = bearerToken(authorization);
    if (token === undefined) throw unauthenticated();
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, verifyOptions));
    } catch (error) {
      throw unauthenticated(describeJoseError(error), error);
    }
    const { sub, jti, iat, client_id: clientId, scope, grant_id: grantId, cnf } = claims as JWTPayload & Record<string, unknown>;
    if (typeof clientId !== 'string' || typeof sub !== 'string' || typeof jti !== 'string' || typeof iat !== 'number') throw unauthenticated('claims invalid');
    if (grantId !== undefined && typeof grantId !== 'string') throw unauthenticated('grant_id invalid');
    // A DPoP-bound token would need a proof; the admin API takes plain bearer tokens only.
    if (cnf !== undefined) throw unauthenticated('sender-constrained tokens are not accepted here');
    if (await options.denylist.isRevoked({ jti, sub, iat, grantId })) throw unauthenticated('revoked');

    const isClientToken = grantId === undefined && sub === clientId;
    const caller: Actor = isClientToken ? { kind: 'client', id: clientId } : { kind: 'account', id: sub, clientId };
    const scopes = typeof scope === 'string' ? scope.split(' ') : [];
    if (!scopes.includes(ADMIN_SCOPE)) throw forbidden(caller, 'the token lacks the admin scope', true);
    if (!options.isAdminClient(clientId)) throw forbidden(caller, `client ${clientId} is not an admin client`);
    if (isClientToken) return { kind: 'client', id: clientId, clientId, jti };
    const account = await options.findAccount(sub);
    if (!account?.admin || account.disabled) throw forbidden(caller, 'the signed-in account is not an enabled admin account');
    return { kind: 'account', id: account.id, clientId, jti };
  };
}
