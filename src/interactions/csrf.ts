// CSRF protection for interaction forms: a token bound to the interaction (HMAC of its uid under
// the newest cookie key), checked in constant time, plus a same-origin check of the request.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

export function csrfToken(secret: string, interactionUid: string): string {
  return createHmac('sha256', secret).update(`csrf:${interactionUid}`).digest('base64url');
}

export function isValidCsrf(secret: string, interactionUid: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfToken(secret, interactionUid));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Browsers send Origin on form posts; a foreign one is a cross-site submission. */
export function isSameOrigin(ctx: Pick<Context, 'get'>, issuer: string): boolean {
  const origin = ctx.get('Origin');
  if (origin && origin !== 'null' && origin !== new URL(issuer).origin) return false;
  const site = ctx.get('Sec-Fetch-Site');
  return !site || site === 'same-origin' || site === 'none';
}
