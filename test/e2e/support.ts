// The relying-party side of the browser tests: the `spa` client discovered with openid-client, and
// Authorization Code + PKCE requests for the page to open.
import * as client from 'openid-client';

/** The `spa` client (public, no authentication) at `issuer`, which is plain http on loopback. */
export function discoverSpa(issuer: string): Promise<client.Configuration> {
  return client.discovery(new URL(issuer), 'spa', undefined, client.None(), { execute: [client.allowInsecureRequests] });
}

export interface PkceRequest {
  url: URL;
  verifier: string;
  state: string;
}

/** An authorization request with a fresh S256 code challenge and state; `extra` adds or overrides parameters. */
export async function pkceRequest(rp: client.Configuration, redirectUri: string, scope: string, extra: Record<string, string> = {}): Promise<PkceRequest> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  return { url, verifier, state };
}
