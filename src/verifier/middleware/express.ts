// Express (and plain node:http) adapter. Structural types only: no dependency on express.
import type { AccessTokenClaims } from '../access-token.ts';
import type { Verifier } from '../create-verifier.ts';
import { authenticate, type MiddlewareOptions } from './authenticate.ts';

/**
 * The part of an Express (or node:http) request the middleware uses.
 *
 * @example
 * ```ts
 * app.get('/orders', expressMiddleware(verifier), (req, res) => res.json({ sub: (req as ExpressLikeRequest).auth?.sub }));
 * ```
 */
export interface ExpressLikeRequest {
  headers: Record<string, string | string[] | undefined>;
  method?: string | undefined;
  url?: string | undefined;
  /** Express keeps the mount-independent path here. */
  originalUrl?: string;
  /** Express sets it (honouring `trust proxy`); plain node:http does not. */
  protocol?: string;
  socket?: { encrypted?: boolean } | object;
  /** Set by the middleware. */
  auth?: AccessTokenClaims;
}

/**
 * The part of an Express (or node:http) response the middleware uses.
 *
 * @example
 * ```ts
 * createServer((req, res) => expressMiddleware(verifier)(req, res as ExpressLikeResponse, () => res.end('ok')));
 * ```
 */
export interface ExpressLikeResponse {
  statusCode: number;
  setHeader(name: string, value: string | string[]): unknown;
  end(body: string): unknown;
}

/**
 * Options of {@link expressMiddleware}.
 *
 * @example
 * ```ts
 * const options: ExpressMiddlewareOptions = { scopes: ['orders:read'], requestUrl: (req) => `https://orders.example.com${req.url}` };
 * ```
 */
export interface ExpressMiddlewareOptions extends MiddlewareOptions {
  /** Absolute URL of a request, for DPoP `htu`. Default: protocol + Host header + original URL. */
  requestUrl?: (req: ExpressLikeRequest) => string;
}

/**
 * What {@link expressMiddleware} returns: `(req, res, next)`.
 *
 * @example
 * ```ts
 * const requireRead: ExpressLikeMiddleware = expressMiddleware(verifier, { scopes: ['orders:read'] });
 * ```
 */
export type ExpressLikeMiddleware = (req: ExpressLikeRequest, res: ExpressLikeResponse, next: (error?: unknown) => void) => void;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function defaultRequestUrl(req: ExpressLikeRequest): string {
  const encrypted = req.socket !== undefined && 'encrypted' in req.socket && req.socket.encrypted === true;
  const protocol = req.protocol ?? (encrypted ? 'https' : 'http');
  return `${protocol}://${single(req.headers.host) ?? 'localhost'}${req.originalUrl ?? req.url ?? '/'}`;
}

/**
 * Express middleware (also usable with plain node:http) that requires a valid access token and the
 * given scopes; claims land on `req.auth`. Answers 401/403/503 itself; other errors go to `next`.
 *
 * @example
 * ```ts
 * app.get('/orders', expressMiddleware(verifier, { scopes: ['orders:read'] }), (req, res) => {
 *   res.json(listOrders(req.auth.sub));
 * });
 * ```
 */
export function expressMiddleware(verifier: Verifier, options: ExpressMiddlewareOptions = {}): ExpressLikeMiddleware {
  const scopes = [...(options.scopes ?? [])];
  const requestUrl = options.requestUrl ?? defaultRequestUrl;
  return (req, res, next) => {
    const facts = {
      authorization: single(req.headers.authorization),
      dpop: single(req.headers.dpop),
      method: req.method ?? 'GET',
      url: requestUrl(req),
    };
    // A failure while answering (e.g. the socket is gone) goes to Express' error handler, not to
    // an unhandled rejection.
    authenticate(verifier, facts, scopes).then((result) => {
      if (result.ok) {
        req.auth = result.claims;
        next();
        return;
      }
      const { status, headers, body } = result.response;
      res.statusCode = status;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body));
    }).catch(next);
  };
}
