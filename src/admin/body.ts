// Reads a JSON request body with a hard size limit. Own code rather than a body parser so every
// failure maps onto one catalogue code.
import type { Context } from 'koa';
import { AdminError } from './errors.ts';

/** Admin bodies are a handful of short fields; 16 KiB is generous and bounds the memory a caller can take. */
export const MAX_BODY_BYTES = 16 * 1024;

function hasBody(ctx: Context): boolean {
  const length = ctx.get('content-length');
  return ctx.get('transfer-encoding') !== '' || (length !== '' && length !== '0');
}

/** `undefined` when the request has no body. */
export async function readJsonBody(ctx: Context): Promise<unknown> {
  if (!hasBody(ctx)) return undefined;
  if (!ctx.request.is('application/json')) throw new AdminError('ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE');
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > MAX_BODY_BYTES) throw new AdminError('ERR_ADMIN_BODY_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AdminError('ERR_ADMIN_BODY_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AdminError('ERR_ADMIN_MALFORMED_BODY', undefined, { cause: error });
  }
}
