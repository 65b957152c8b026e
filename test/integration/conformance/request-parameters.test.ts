// Parameters a relying party may add without breaking the flow (OpenID Connect Core §3.1.2.1,
// RFC 6749 §3.1: unknown parameters are ignored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../helpers/login.ts';
import { authorizationRequest, exchangeCode, follow, obtainCode, startConformanceOp, USERNAME, type ConformanceOp, type TokenResponse } from './support.ts';

let op: ConformanceOp;

beforeAll(async () => {
  op = await startConformanceOp();
});

afterAll(async () => {
  await op.close();
});

async function completes(params: Record<string, string>): Promise<TokenResponse> {
  const result = await obtainCode(op, 'web', params);
  const response = await exchangeCode(op, result);
  expect(response.status).toBe(200);
  return (await response.json()) as TokenResponse;
}

describe('authorization request parameters', () => {
  it('ignores unknown parameters', async () => {
    const tokens = await completes({ foo: 'bar', 'x-tracking': '1', vendor_param: '{"a":1}' });
    expect(tokens.id_token).toBeTypeOf('string');
  });

  it('accepts scopes in any order and with unknown scopes among them', async () => {
    const tokens = await completes({ scope: 'email unknown-scope profile openid' });
    expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'openid', 'profile']);
  });

  it('accepts ui_locales, claims_locales and display', async () => {
    for (const display of ['page', 'popup', 'touch', 'wap']) {
      const tokens = await completes({ ui_locales: 'de-CH fr en', claims_locales: 'de', display });
      expect(tokens.access_token).toBeTypeOf('string');
    }
  });

  it('prefills the username from login_hint, escaped', async () => {
    const hint = `${USERNAME}"><script>alert(1)</script>`;
    const { url } = await authorizationRequest(op, 'web', { login_hint: hint });
    const page = await follow(url, new CookieJar(), op.issuer);
    expect('html' in page).toBe(true);
    const html = 'html' in page ? page.html : '';
    expect(html).toContain('name="password"');
    expect(html).toContain(`value="${USERNAME}&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`);
    expect(html).not.toContain('<script>alert(1)');

    const plain = await authorizationRequest(op, 'web', { login_hint: USERNAME });
    const prefilled = await follow(plain.url, new CookieJar(), op.issuer);
    expect('html' in prefilled ? prefilled.html : '').toMatch(new RegExp(`id="username"[^>]*value="${USERNAME}"`));
  });

  it('completes with login_hint set', async () => {
    const tokens = await completes({ login_hint: USERNAME });
    expect(tokens.id_token).toBeTypeOf('string');
  });
});
