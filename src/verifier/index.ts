// Public entry of `portcullis/verifier`. Depends on jose, ioredis and node builtins only.
export { createVerifier, type Verifier, type VerifyOptions } from './create-verifier.ts';
export type { VerifierOptions } from './options.ts';
export type { AccessTokenClaims } from './access-token.ts';
export type { DpopRequest } from './dpop/proof.ts';
export type { DenylistStatus } from './denylist/follower.ts';
export type { DenylistEntry, JtiDenylistEntry, GrantDenylistEntry, SubjectDenylistEntry } from './denylist/entry.ts';
export { ClaimInvalidError, InsufficientScopeError, VerifierError, VERIFIER_ERROR_CODES, type VerifierErrorCode, type ErrorCatalogueEntry } from './errors.ts';
export { requireScopes } from './scopes.ts';
export { koaMiddleware, type KoaLikeContext, type KoaLikeMiddleware } from './middleware/koa.ts';
export {
  expressMiddleware,
  type ExpressLikeMiddleware,
  type ExpressLikeRequest,
  type ExpressLikeResponse,
  type ExpressMiddlewareOptions,
} from './middleware/express.ts';
export type { MiddlewareOptions } from './middleware/authenticate.ts';
