// Development-only demo relying party at /demo: a newcomer signs in from the browser right after
// `npm start` and sees the ID token's claims. It runs Authorization Code + PKCE like any client.
import { createHash, randomBytes } from 'node:crypto';
import Router from '@koa/router';
import { decodeJwt } from 'jose';
import { respondWithPage } from '../http/render.ts';
import { DEMO_CLIENT_ID } from './client.ts';

const FLOW_COOKIE = 'portcullis_demo_flow';

export function demoRoutes(issuer: string): Router {
  const router = new Router({ prefix: '/demo' });
  const redirectUri = new URL('/demo/callback', issuer).href;

  router.get('/', (ctx) => {
    respondWithPage(ctx, 'demo', { title: 'Portcullis demo', claims: undefined, signIn: '/demo/login' });
  });

  router.get('/login', (ctx) => {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    ctx.cookies.set(FLOW_COOKIE, JSON.stringify({ verifier, state, nonce }), { signed: true, httpOnly: true, sameSite: 'lax', maxAge: 600_000 });
    const url = new URL('/auth', issuer);
    url.search = new URLSearchParams({
      client_id: DEMO_CLIENT_ID,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid profile email offline_access',
      prompt: 'consent',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state,
      nonce,
    }).toString();
    ctx.redirect(url.href);
  });

  router.get('/callback', async (ctx) => {
    const flow = JSON.parse(ctx.cookies.get(FLOW_COOKIE, { signed: true }) ?? 'null') as { verifier: string; state: string; nonce: string } | null;
    ctx.cookies.set(FLOW_COOKIE, null);
    const { code, state, error } = ctx.query;
    if (!flow || state !== flow.state || typeof code !== 'string') {
      return respondWithPage(ctx, 'message', { title: 'Demo sign-in failed', message: error ? `The provider answered: ${String(error)}` : 'The sign-in could not be matched to this browser. Start again at /demo.', code: typeof error === 'string' ? error : 'state_mismatch' }, 400);
    }
    const response = await fetch(new URL('/token', issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: DEMO_CLIENT_ID, code_verifier: flow.verifier }),
    });
    const tokens = (await response.json()) as { id_token?: string; access_token?: string; error?: string; refresh_token?: string; expires_in?: number };
    if (!tokens.id_token) {
      return respondWithPage(ctx, 'message', { title: 'Demo sign-in failed', message: 'The token request was refused.', code: tokens.error ?? 'token_error' }, 400);
    }
    const claims = decodeJwt(tokens.id_token);
    // The ID token carries only identity claims; profile and email come from userinfo, as for any client.
    const userinfo = await fetch(new URL('/me', issuer), { headers: { authorization: `Bearer ${tokens.access_token ?? ''}` } });
    const profile: unknown = userinfo.ok ? await userinfo.json() : undefined;
    const logout = new URL('/session/end', issuer);
    logout.search = new URLSearchParams({ client_id: DEMO_CLIENT_ID, id_token_hint: tokens.id_token, post_logout_redirect_uri: new URL('/demo', issuer).href }).toString();
    respondWithPage(ctx, 'demo', {
      title: 'Signed in',
      claims: JSON.stringify(claims, null, 2),
      userinfo: profile === undefined ? undefined : JSON.stringify(profile, null, 2),
      refresh: Boolean(tokens.refresh_token),
      expiresIn: tokens.expires_in,
      signOut: logout.href,
      signIn: '/demo/login',
    });
  });

  return router;
}
