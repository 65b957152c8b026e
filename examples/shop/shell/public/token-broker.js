// Access tokens for the micro frontends, one per resource (each service accepts only tokens whose
// `aud` is itself), kept in memory.
//
// Refresh tokens rotate: every refresh spends the current one and returns its successor. So token
// requests run one at a time, each with the newest refresh token, and callers asking for the same
// resource while its request is in flight share that request (single flight).

/**
 * @param {object} options
 * @param {(resource: string) => Promise<{ accessToken: string, expiresAt: number }>} options.requestToken
 *   asks the provider for a token for `resource`; `expiresAt` in epoch seconds.
 * @param {number} [options.earlySeconds] renew this long before expiry (default 30: a token that is
 *   about to expire would likely expire in flight or on a service whose clock runs ahead).
 * @param {() => number} [options.now] epoch seconds.
 */
export function createTokenBroker({ requestToken, earlySeconds = 30, now = () => Date.now() / 1000 }) {
  const tokens = new Map(); // resource → { accessToken, expiresAt }
  const inFlight = new Map(); // resource → Promise<string>
  let queue = Promise.resolve();

  function getAccessToken(resource) {
    const token = tokens.get(resource);
    if (token && token.expiresAt - earlySeconds > now()) return Promise.resolve(token.accessToken);
    let flight = inFlight.get(resource);
    if (!flight) {
      flight = queue
        .then(() => requestToken(resource))
        .then((fresh) => {
          tokens.set(resource, fresh);
          return fresh.accessToken;
        })
        .finally(() => inFlight.delete(resource));
      inFlight.set(resource, flight);
      // The next request waits for this one, whatever its outcome.
      queue = flight.catch(() => undefined);
    }
    return flight;
  }

  return {
    getAccessToken,
    /** Keeps a token obtained elsewhere (the one from the login's code exchange). */
    remember(resource, token) {
      tokens.set(resource, token);
    },
    /** Drops every token (sign-out, session ended). */
    clear() {
      tokens.clear();
    },
  };
}
