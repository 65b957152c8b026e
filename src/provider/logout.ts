// RP-initiated logout: the pages, rendered with our templates (no inline script: CSP forbids it),
// and which grants a confirmed logout is about to revoke.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { respondWithPage } from '../http/render.ts';

export function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  const client = ctx.oidc.client;
  // `form` is oidc-provider's own markup (action URL and xsrf token), so it is embedded unescaped.
  respondWithPage(ctx, 'logout', { title: 'Sign out', form, clientName: client?.clientName ?? client?.clientId });
}

/** oidc-provider names the client here only when the person signed out of that client alone. */
export function postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
  const client = ctx.oidc.client;
  const message = client
    ? `You are signed out of ${client.clientName ?? client.clientId}. You are still signed in to Portcullis for your other applications.`
    : 'You are signed out. You can close this window.';
  respondWithPage(ctx, 'message', { title: 'Signed out', message });
}

/**
 * The grants oidc-provider's logout confirmation revokes: every grant of the session when the
 * person signs out everywhere (`logout` set), else the requesting client's only; grants with
 * offline_access persist across logout. Mirrors oidc-provider's end_session, which names no grant
 * before it deletes it.
 */
export function grantsEndedByLogout(ctx: KoaContextWithOIDC): string[] {
  const { session, params } = ctx.oidc;
  if (!session) return [];
  const clientId = (session.state as { clientId?: string } | undefined)?.clientId;
  const clientIds = params?.logout ? Object.keys(session.authorizations ?? {}) : clientId ? [clientId] : [];
  return clientIds.flatMap((id) => {
    const grantId = session.grantIdFor(id);
    return grantId && !session.authorizationFor(id).persistsLogout ? [grantId] : [];
  });
}
