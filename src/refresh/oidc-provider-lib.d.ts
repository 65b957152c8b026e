// Types for the two oidc-provider internals src/refresh/oidc-internals.ts uses (the package ships
// no declarations for lib/). Only what we call is declared.
declare module 'oidc-provider/lib/actions/grants/refresh_token.js' {
  export const handler: (provider: unknown, helpers: Record<string, unknown>, ctx: unknown) => Promise<void>;
  export const parameters: ReadonlySet<string>;
}

declare module 'oidc-provider/lib/helpers/grants.js' {
  const helpers: Record<string, (provider: unknown, ...args: never[]) => unknown>;
  export = helpers;
}
