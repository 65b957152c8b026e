// Drives the real login and consent pages over HTTP, like a browser without JavaScript: follows
// redirects, keeps cookies, reads the forms' hidden fields and submits them.

export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const separator = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, separator).trim();
      const value = (pair ?? '').slice(separator + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()));
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  clear(): void {
    this.#cookies.clear();
  }
}

export interface Page {
  url: URL;
  status: number;
  html: string;
}

export interface LoginOptions {
  username: string;
  password: string;
  /** Press Allow (default), Deny, or expect no consent page at all ('none'). */
  consent?: 'allow' | 'deny' | 'none';
  jar?: CookieJar;
}

/** GETs `url` and follows redirects until a page answers or the redirect leaves the issuer. */
export async function follow(url: string | URL, jar: CookieJar, issuer: string, init: RequestInit = {}): Promise<Page | { redirect: URL }> {
  let target = new URL(url);
  let request: RequestInit = init;
  for (let hops = 0; hops < 10; hops += 1) {
    if (target.origin !== new URL(issuer).origin) return { redirect: target };
    const response = await fetch(target, {
      ...request,
      redirect: 'manual',
      headers: { ...(request.headers as Record<string, string> | undefined), cookie: jar.header(), accept: 'text/html' },
    });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      target = new URL(location, target);
      request = {};
      continue;
    }
    return { url: target, status: response.status, html: await response.text() };
  }
  throw new Error('too many redirects');
}

export function formFields(html: string): { action: string; csrf: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !csrf) throw new Error(`no form on page:\n${html.slice(0, 500)}`);
  return { action: action.replaceAll('&#39;', "'").replaceAll('&amp;', '&'), csrf };
}

export async function submit(issuer: string, page: Page, fields: Record<string, string>, jar: CookieJar): Promise<Page | { redirect: URL }> {
  const { action, csrf } = formFields(page.html);
  return follow(new URL(action, page.url), jar, issuer, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(issuer).origin },
    body: new URLSearchParams({ csrf, ...fields }).toString(),
  });
}

/**
 * Runs an authorization request through login and consent; returns the URL the provider finally
 * redirects to (the client's redirect_uri with code or error).
 */
export async function authorize(issuer: string, authorizationUrl: string | URL, options: LoginOptions): Promise<{ callback: URL; jar: CookieJar }> {
  const jar = options.jar ?? new CookieJar();
  let step = await follow(authorizationUrl, jar, issuer);
  if ('url' in step && step.html.includes('name="password"')) {
    step = await submit(issuer, step, { username: options.username, password: options.password }, jar);
  }
  if ('url' in step && step.html.includes('name="decision"')) {
    if (options.consent === 'none') throw new Error('unexpected consent page');
    step = await submit(issuer, step, { decision: options.consent ?? 'allow' }, jar);
  }
  if ('redirect' in step) return { callback: step.redirect, jar };
  throw new Error(`flow stopped at ${step.url.href} (${step.status}):\n${step.html.slice(0, 800)}`);
}
