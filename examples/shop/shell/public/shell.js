// The shell: signs the user in once (Authorization Code + PKCE against Portcullis, tokens in
// memory) and lends every micro frontend `getAccessToken(resource)`. Micro frontends never see
// the refresh token, the login, or each other's tokens.
import { InMemoryWebStorage, UserManager, WebStorageStateStore } from './oidc.js';
import { createTokenBroker } from './token-broker.js';

const config = await (await fetch('/config.json')).json();
const microFrontends = config.microFrontends;
const scopeOf = new Map(microFrontends.map((mfe) => [mfe.resource, mfe.scope]));
const [first] = microFrontends;

const userManager = new UserManager({
  authority: config.issuer,
  client_id: config.clientId,
  redirect_uri: `${location.origin}/callback`,
  post_logout_redirect_uri: `${location.origin}/`,
  // offline_access brings the refresh token that the shell trades for one token per service.
  scope: ['openid', 'offline_access', ...scopeOf.values()].join(' '),
  // Tokens live in this page's memory only: nothing in storage for a script to read, nothing
  // outlives the tab. A reload signs in again (one click while the Portcullis session lasts).
  userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
  // The login's transient state (PKCE verifier, nonce) must survive the round trip to Portcullis;
  // sessionStorage keeps it to this tab, and oidc-client-ts deletes it at the callback.
  stateStore: new WebStorageStateStore({ store: sessionStorage }),
  // The broker decides when to refresh; a library timer would spend refresh tokens behind its back.
  automaticSilentRenew: false,
});

const broker = createTokenBroker({
  async requestToken(resource) {
    // Refresh-token grant with `resource` (RFC 8707) and that service's scope only: the token
    // is good for that one service. The explicit scope matters: by default oidc-client-ts would
    // repeat the previous response's scope, which belongs to another service.
    const user = await userManager.signinSilent({ resource, extraTokenParams: { scope: scopeOf.get(resource) } });
    return { accessToken: user.access_token, expiresAt: user.expires_at };
  },
});

const $ = (id) => document.getElementById(id);

function notify(message) {
  $('notice').textContent = message;
  $('notice').hidden = false;
}

async function getAccessToken(resource) {
  try {
    return await broker.getAccessToken(resource);
  } catch (error) {
    // The grant is gone (revoked, expired, signed out elsewhere): no token will come back.
    if (error?.error === 'invalid_grant') {
      broker.clear();
      await userManager.removeUser();
      notify('Your session has ended. Sign in again.');
      $('sign-out').hidden = true;
      $('sign-in').hidden = false;
    }
    throw error;
  }
}

$('sign-in').addEventListener('click', () =>
  userManager.signinRedirect({
    // Without prompt=consent, Portcullis (oidc-provider) drops offline_access: no refresh token.
    prompt: 'consent',
    // Every service the shell will need a token for, so one consent covers them all.
    resource: microFrontends.map((mfe) => mfe.resource),
    // The code exchange can return one token only: ask for the first service's, by name.
    extraTokenParams: { resource: first.resource },
  }),
);

$('sign-out').addEventListener('click', async () => {
  // RFC 7009: revoking the refresh token revokes the whole grant, and Portcullis denylists its
  // access tokens, so both services refuse them at once. Then end the Portcullis session.
  try {
    await userManager.revokeTokens(['refresh_token']);
  } catch (error) {
    // Signing out anyway would leave the grant alive; say so and let the user retry.
    notify(`Sign-out could not revoke your tokens: ${error.message}`);
    return;
  }
  broker.clear();
  await userManager.signoutRedirect();
});

if (location.pathname === '/callback') {
  try {
    const user = await userManager.signinCallback();
    broker.remember(first.resource, { accessToken: user.access_token, expiresAt: user.expires_at });
  } catch (error) {
    notify(`Sign-in did not complete: ${error.message}`);
  }
  // Keep the code out of the address bar and history.
  history.replaceState(null, '', '/');
}

const user = await userManager.getUser();
if (!user) {
  $('sign-in').hidden = false;
} else {
  $('who').textContent = 'Signed in';
  $('sign-out').hidden = false;
  const modules = await Promise.all(microFrontends.map((mfe) => import(mfe.module)));
  microFrontends.forEach((mfe, index) => {
    const slot = document.createElement('section');
    slot.className = 'mfe';
    $('micro-frontends').append(slot);
    modules[index].mount(slot, { api: mfe.api, resource: mfe.resource, getAccessToken });
  });
}
