// oidc-client-ts ships an ES module build that imports the bare name "jwt-decode", which a browser
// cannot resolve without a bundler or an import map; its browser build sets `globalThis.oidc`
// instead. This module hands that global to the shell as ordinary imports.
export const { UserManager, WebStorageStateStore, InMemoryWebStorage } = globalThis.oidc;
