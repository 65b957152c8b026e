// RP-initiated logout pages, rendered with our templates (no inline script: CSP forbids it).
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
