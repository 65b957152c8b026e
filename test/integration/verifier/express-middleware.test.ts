// The Express adapter, mounted on a plain node:http server (express is not a dependency; the
// middleware only uses what Express' req/res share with node's).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { expressMiddleware, type ExpressLikeRequest } from '../../../src/verifier/index.ts';
import { middlewareCases } from './support/middleware-cases.ts';
import { startTestIssuer, type TestIssuer } from './support/test-issuer.ts';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer.stop();
});

describe('expressMiddleware', () => {
  middlewareCases(
    () => issuer,
    () => inject('redisUrl'),
    async (verifier) => {
      const read = expressMiddleware(verifier, { scopes: ['orders:read'] });
      const write = expressMiddleware(verifier, { scopes: ['orders:write'] });
      const server = createServer((req, res) => {
        const middleware = req.method === 'POST' ? write : read;
        middleware(req, res, (error) => {
          if (error) {
            res.statusCode = 500;
            res.end();
            return;
          }
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify((req as ExpressLikeRequest).auth));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  );
});
