// The Koa adapter on a real Koa server.
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { koaMiddleware } from '../../../src/verifier/index.ts';
import { middlewareCases } from './support/middleware-cases.ts';
import { startTestIssuer, type TestIssuer } from './support/test-issuer.ts';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer.stop();
});

describe('koaMiddleware', () => {
  middlewareCases(
    () => issuer,
    () => inject('redisUrl'),
    async (verifier) => {
      const app = new Koa();
      const read = koaMiddleware(verifier, { scopes: ['orders:read'] });
      const write = koaMiddleware(verifier, { scopes: ['orders:write'] });
      app.use(async (ctx, next) => {
        if (ctx.path !== '/orders') return next();
        await (ctx.method === 'POST' ? write : read)(ctx, async () => {
          ctx.body = ctx.state.auth;
        });
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  );
});
