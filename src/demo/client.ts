// The development demo: a public browser client whose redirect lands on /demo/callback.
export const DEMO_CLIENT_ID = 'portcullis-demo';

export function demoClient(issuer: string) {
  return {
    client_id: DEMO_CLIENT_ID,
    client_name: 'Portcullis demo',
    token_endpoint_auth_method: 'none',
    redirect_uris: [new URL('/demo/callback', issuer).href],
    post_logout_redirect_uris: [new URL('/demo', issuer).href],
    grant_types: ['authorization_code', 'refresh_token'],
    scope: 'openid profile email offline_access',
  };
}
