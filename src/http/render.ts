// Server-side rendering with Eta: auto-escaping on, templates from views/, one layout.
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Context } from 'koa';

const eta = new Eta({
  views: fileURLToPath(new URL('../../views', import.meta.url)),
  autoEscape: true,
  cache: process.env.NODE_ENV === 'production',
});

export type PageData = { title: string } & Record<string, unknown>;

export function renderPage(template: string, data: PageData): string {
  return eta.render(template, data);
}

/** Renders a page as the response; interaction pages are never cached (no-store). */
export function respondWithPage(ctx: Pick<Context, 'type' | 'body' | 'set' | 'status'>, template: string, data: PageData, status = 200): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  ctx.body = renderPage(template, data);
}
