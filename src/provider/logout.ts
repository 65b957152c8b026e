// RP-initiated logout pages, rendered with our templates (no inline script: CSP forbids it).
import type { KoaContextWithOIDC } from 'oidc-provider';
import { respondWithPage } from '../http/render.ts';

export function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  const client = ctx.oidc.client;
  // `form` is oidc-provider's own markup (action URL and xsrf token), so it is embedded unescaped.
  respondWithPage(ctx, 'logout', { title: 'Sign out', form, clientName: client?.clientName ?? client?.clientId });
}

export function postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
  respondWithPage(ctx, 'message', { title: 'Signed out', message: 'You are signed out. You can close this window.' });
}
