// The profile microservice: plain node:http with portcullis/verifier's Express middleware (it
// needs only what Express' req/res share with node's, so express itself is not required).
import type { IncomingMessage, ServerResponse } from 'node:http';
// A real service: import { createVerifier, expressMiddleware } from 'portcullis/verifier';
import { createVerifier, expressMiddleware, type ExpressLikeRequest } from '../../../src/verifier/index.ts';
import { PROFILE } from '../settings.ts';
import { decideCors } from './cors.ts';
import type { RunningService, ServiceOptions } from './options.ts';
import { serve } from './serve.ts';

// One profile for every shopper: the example is about who may read it, not about storage.
const DEMO_PROFILE = { tier: 'Gold', points: 1280, shipTo: '1 Gatehouse Lane, Castleton' };

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

export async function startProfileService(options: ServiceOptions): Promise<RunningService> {
  const verifier = createVerifier({ issuer: options.issuer, audience: PROFILE.resource, redis: options.redisUrl, keyPrefix: options.keyPrefix });
  await verifier.ready();
  const requireProfileRead = expressMiddleware(verifier, { scopes: [PROFILE.scope] });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const header = (name: string) => (typeof req.headers[name] === 'string' ? req.headers[name] : undefined);
    const cors = decideCors(options.shellOrigin, { method: req.method ?? 'GET', origin: header('origin'), requestMethod: header('access-control-request-method') });
    for (const [name, value] of Object.entries(cors.headers)) res.setHeader(name, value);
    if (cors.preflight) {
      res.statusCode = 204;
      res.end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://profile.invalid').pathname;
    if (req.method === 'GET' && path === '/me') {
      requireProfileRead(req, res, (error) => {
        if (error) return send(res, 500, { error: 'server_error' });
        const auth = (req as ExpressLikeRequest).auth;
        send(res, 200, { sub: auth?.sub, audience: auth?.aud, scope: auth?.scope, profile: DEMO_PROFILE });
      });
      return;
    }
    if (req.method === 'GET' && path === '/health') return send(res, 200, { denylist: verifier.status() });
    send(res, 404, { error: 'not_found' });
  };

  return serve(handle, options.port, verifier);
}
