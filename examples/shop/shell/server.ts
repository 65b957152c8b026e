// The shell's static server: the page, the micro frontends (plain ES modules, no build step),
// oidc-client-ts' browser build straight from node_modules, and /config.json with this run's URLs.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeServer, listen } from '../listen.ts';

/** What the page reads from /config.json. */
export interface ShellConfig {
  issuer: string;
  clientId: string;
  /** One entry per micro frontend: its module, its service and the token that service accepts. */
  microFrontends: { name: string; module: string; api: string; resource: string; scope: string }[];
}

export interface ShellOptions {
  port: number;
  config: ShellConfig;
}

export interface RunningShell {
  server: Server;
  close(): Promise<void>;
}

const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), 'public');
const OIDC_CLIENT = join(dirname(createRequire(import.meta.url).resolve('oidc-client-ts/package.json')), 'dist/browser/oidc-client-ts.min.js');

const JS = 'text/javascript; charset=utf-8';
// A fixed table, not a directory listing: nothing outside it can be requested.
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: join(PUBLIC, 'index.html'), type: 'text/html; charset=utf-8' },
  '/callback': { file: join(PUBLIC, 'index.html'), type: 'text/html; charset=utf-8' },
  '/style.css': { file: join(PUBLIC, 'style.css'), type: 'text/css; charset=utf-8' },
  '/shell.js': { file: join(PUBLIC, 'shell.js'), type: JS },
  '/oidc.js': { file: join(PUBLIC, 'oidc.js'), type: JS },
  '/token-broker.js': { file: join(PUBLIC, 'token-broker.js'), type: JS },
  '/mfe/orders.js': { file: join(PUBLIC, 'mfe/orders.js'), type: JS },
  '/mfe/profile.js': { file: join(PUBLIC, 'mfe/profile.js'), type: JS },
  '/vendor/oidc-client-ts.js': { file: OIDC_CLIENT, type: JS },
};

function securityHeaders(config: ShellConfig): Record<string, string> {
  const apis = config.microFrontends.map((mfe) => new URL(mfe.api).origin);
  return {
    // Scripts only from here; the page may talk to Portcullis and the two services, nothing else.
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      `connect-src 'self' ${new URL(config.issuer).origin} ${apis.join(' ')}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    // The callback URL carries the authorization code: never leak it in a Referer.
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

export async function startShell(options: ShellOptions): Promise<RunningShell> {
  const headers = securityHeaders(options.config);
  const configJson = JSON.stringify(options.config);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const path = new URL(req.url ?? '/', 'http://shell.invalid').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(configJson);
      return;
    }
    const entry = FILES[path];
    if (!entry) {
      // Browsers ask for /favicon.ico on their own; "nothing" is a fine answer.
      res.writeHead(path === '/favicon.ico' ? 204 : 404, { 'content-type': 'text/plain; charset=utf-8' }).end(path === '/favicon.ico' ? undefined : 'not found');
      return;
    }
    res.writeHead(200, { 'content-type': entry.type }).end(await readFile(entry.file));
  };

  const server = await listen((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('the shell server could not read a file');
    });
  }, options.port);
  return { server, close: () => closeServer(server) };
}
