// Prometheus metrics (prom-client): request latency per route and the provider's key events.
// Served on a separate port (metrics.port) so it is never exposed with the public endpoints.
import { createServer, type Server } from 'node:http';
import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  middleware: Middleware;
  observeProvider(provider: Provider): void;
  listen(port: number, host: string): Promise<Server>;
}

// Routes are bucketed so that ids in paths (interaction uids) never create new label values.
function routeLabel(path: string): string {
  if (path.startsWith('/interaction/')) return '/interaction/:uid';
  if (path.startsWith('/admin/')) return '/admin';
  if (path.startsWith('/.well-known/')) return path;
  return /^\/[a-z_/]*$/.test(path) && path.length < 40 ? path : 'other';
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'portcullis_http_request_duration_seconds',
    help: 'HTTP request latency by route and status class',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const events = new Counter({
    name: 'portcullis_provider_events_total',
    help: 'oidc-provider events (tokens issued, grants revoked, errors)',
    labelNames: ['event'] as const,
    registers: [registry],
  });

  return {
    registry,
    middleware: async (ctx, next) => {
      const end = duration.startTimer({ route: routeLabel(ctx.path), method: ctx.method });
      // oidc-provider writes its own responses; 'finish' sees the status either way.
      ctx.res.once('finish', () => end({ status: `${Math.floor(ctx.res.statusCode / 100)}xx` }));
      await next();
    },
    observeProvider(provider) {
      const names = ['access_token.issued', 'client_credentials.issued', 'refresh_token.consumed', 'grant.success', 'grant.error', 'grant.revoked', 'end_session.success', 'server_error', 'revocation.error', 'introspection.error'];
      // The event names are oidc-provider's; its typings list them per overload, hence the widening.
      for (const name of names) (provider as unknown as { on(event: string, listener: () => void): void }).on(name, () => events.inc({ event: name }));
    },
    listen(port, host) {
      const server = createServer((req, res) => {
        if (req.url !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        registry.metrics().then(
          (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
          () => res.writeHead(500).end(),
        );
      });
      return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
    },
  };
}
