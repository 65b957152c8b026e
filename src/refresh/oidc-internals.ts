// The one module that reaches into oidc-provider internals (pinned major 9). We keep its refresh
// grant (DPoP and mTLS checks, scope narrowing, resource indicators, ID token) and only wrap it,
// so rotation policy is ours and everything else stays exactly oidc-provider's behaviour.
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { handler as builtinRefreshGrant, parameters as builtinParameters } from 'oidc-provider/lib/actions/grants/refresh_token.js';
import * as grantHelpers from 'oidc-provider/lib/helpers/grants.js';

/** A verified DPoP proof (RFC 9449) as oidc-provider reports it. */
export interface DpopProof {
  thumbprint: string;
  jti: string;
  iat: number;
}

export interface OidcInternals {
  /** oidc-provider's own refresh_token grant handler. */
  refreshGrant(ctx: KoaContextWithOIDC): Promise<void>;
  /** Verifies the request's DPoP proof (memoised per request); undefined without one. */
  validateDpop(ctx: KoaContextWithOIDC): Promise<DpopProof | undefined>;
  /** Throws invalid_grant when the client must use DPoP and did not. */
  checkDpopRequired(ctx: KoaContextWithOIDC, proof: DpopProof | undefined): void;
  /** Throws invalid_grant when the proof's jti was seen before. */
  checkDpopReplay(ctx: KoaContextWithOIDC, proof: DpopProof | undefined, clientId: string): Promise<void>;
  /** The grant's request parameters, as oidc-provider registers them. */
  parameters: ReadonlySet<string>;
}

type Helper = (...args: unknown[]) => unknown;

function helper(name: string, provider: Provider): Helper {
  const fn = (grantHelpers as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new TypeError(`oidc-provider grant helper ${name} is missing (major version changed?)`);
  return (fn as Helper).bind(undefined, provider);
}

export function bindInternals(provider: Provider): OidcInternals {
  const bound = Object.fromEntries(Object.keys(grantHelpers).map((name) => [name, helper(name, provider)]));
  const validateDpop = helper('validateDpop', provider);
  const checkDpopRequired = helper('checkDpopRequired', provider);
  const checkDpopReplay = helper('checkDpopReplay', provider);
  return {
    refreshGrant: (ctx) => builtinRefreshGrant(provider, bound, ctx),
    validateDpop: async (ctx) => (await validateDpop(ctx)) as DpopProof | undefined,
    checkDpopRequired: (ctx, proof) => {
      checkDpopRequired(ctx, proof, errors.InvalidGrant);
    },
    checkDpopReplay: async (ctx, proof, clientId) => {
      await checkDpopReplay(ctx, proof, clientId, errors.InvalidGrant);
    },
    parameters: builtinParameters,
  };
}

/**
 * Makes oidc-provider mint refresh-token values with `mint` (our self-describing format) instead
 * of random ids. `generateTokenId` is the model's own hook for its id; the value it returns is
 * the token the client receives.
 */
export function overrideRefreshTokenIds(provider: Provider, mint: (token: { grantId?: string }) => string): void {
  const prototype = provider.RefreshToken.prototype as unknown as { generateTokenId: () => string };
  prototype.generateTokenId = function generateTokenId(this: { grantId?: string }) {
    return mint(this);
  };
}
