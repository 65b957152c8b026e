// The orders microservice: Koa, one route guarded by portcullis/verifier's Koa middleware.
import Router from '@koa/router';
import Koa from 'koa';
// A real service: import { createVerifier, koaMiddleware } from 'portcullis/verifier';
import { createVerifier, koaMiddleware, type AccessTokenClaims } from '../../../src/verifier/index.ts';
import { ORDERS } from '../settings.ts';
import { decideCors } from './cors.ts';
import type { RunningService, ServiceOptions } from './options.ts';
import { serve } from './serve.ts';

// Every shopper sees the same two orders: the example is about who may read them, not about storage.
const DEMO_ORDERS = [
  { id: 'A-1001', item: 'Portcullis enamel mug', total: '12.00 EUR', status: 'shipped' },
  { id: 'A-1002', item: 'Castle gate key ring', total: '4.50 EUR', status: 'processing' },
];

export async function startOrdersService(options: ServiceOptions): Promise<RunningService> {
  const verifier = createVerifier({ issuer: options.issuer, audience: ORDERS.resource, redis: options.redisUrl, keyPrefix: options.keyPrefix });
  // The denylist snapshot is in memory before the first request is answered.
  await verifier.ready();

  const router = new Router();
  router.get('/orders', koaMiddleware(verifier, { scopes: [ORDERS.scope] }), (ctx) => {
    const auth = ctx.state.auth as AccessTokenClaims;
    ctx.body = { sub: auth.sub, audience: auth.aud, scope: auth.scope, orders: DEMO_ORDERS };
  });
  router.get('/health', (ctx) => {
    ctx.body = { denylist: verifier.status() };
  });

  const app = new Koa();
  app.use(async (ctx, next) => {
    const cors = decideCors(options.shellOrigin, { method: ctx.method, origin: ctx.get('origin') || undefined, requestMethod: ctx.get('access-control-request-method') || undefined });
    ctx.set(cors.headers);
    if (cors.preflight) {
      ctx.status = 204;
      return;
    }
    await next();
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = { error: 'not_found' };
  });

  return serve(app.callback(), options.port, verifier);
}
