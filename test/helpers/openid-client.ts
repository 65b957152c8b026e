// openid-client as the confidential `web` client: discovery, and Authorization Code + PKCE
// through the real login and consent forms, with state and nonce checked by the library.
import * as client from 'openid-client';
import { authorize } from './login.ts';
import { WEB_REDIRECT, WEB_SECRET, type RunningPortcullis } from './portcullis.ts';

export const ALICE = { username: 'alice', password: 'correct horse battery', name: 'Alice Liddell', email: 'alice@example.com' } as const;

export function discoverWebClient(op: RunningPortcullis): Promise<client.Configuration> {
  return client.discovery(new URL(op.issuer), 'web', { client_secret: WEB_SECRET }, client.ClientSecretBasic(WEB_SECRET), {
    execute: [client.allowInsecureRequests],
  });
}

/** Logs ALICE in through the forms and exchanges the code; `extra` adds or overrides parameters. */
export async function loginWithOpenidClient(op: RunningPortcullis, config: client.Configuration, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: WEB_REDIRECT,
    scope: 'openid profile email offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    prompt: 'consent',
    ...extra,
  });
  const { callback } = await authorize(op.issuer, url, { username: ALICE.username, password: ALICE.password });
  return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
}
