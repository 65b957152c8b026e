// The Express adapter, mounted in a real Express 5 app (a devDependency only: the verifier itself
// depends on nothing of Express and types it structurally).
import type { AddressInfo } from 'node:net';
import express from 'express';
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
      const app = express();
      app.get('/orders', expressMiddleware(verifier, { scopes: ['orders:read'] }), (req, res) => {
        res.json((req as unknown as ExpressLikeRequest).auth);
      });
      app.post('/orders', expressMiddleware(verifier, { scopes: ['orders:write'] }), (req, res) => {
        res.json((req as unknown as ExpressLikeRequest).auth);
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  );
});
