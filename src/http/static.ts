// The one stylesheet, served from memory: no external assets, no CDN.
import { readFileSync } from 'node:fs';
import type { Middleware } from 'koa';

const CSS = readFileSync(new URL('../../views/static/portcullis.css', import.meta.url));

export const staticAssets: Middleware = async (ctx, next) => {
  if (ctx.path !== '/static/portcullis.css' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
  ctx.type = 'text/css';
  ctx.set('Cache-Control', 'public, max-age=3600');
  ctx.body = CSS;
};
