// Scopes in words for the consent page.
const OIDC_SCOPES: Record<string, string> = {
  openid: 'Confirm who you are',
  profile: 'See your name and username',
  email: 'See your email address',
  offline_access: 'Stay signed in and act for you while you are away',
};

export function describeScopes(scopes: string[], resourceScopes: Map<string, string>): { name: string; description: string }[] {
  return [...new Set(scopes)].map((name) => ({ name, description: OIDC_SCOPES[name] ?? resourceScopes.get(name) ?? `Use the permission “${name}”` }));
}
