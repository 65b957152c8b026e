// Starts a real Portcullis (Koa + oidc-provider) on a free loopback port against a real Redis,
// with a key prefix of its own so test files never see each other's data.
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createApp, type Portcullis } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { createLogger, type Logger } from '../../src/observability/logger.ts';
import { generateSigningKey } from '../../src/provider/keys.ts';
import { connectRedis, createMemoryRedis, isMemoryRedis, type RedisClient } from '../../src/store/connect.ts';
import { freePort } from './redis-server.ts';

export const API = 'https://api.example.test';
export const SPA_REDIRECT = 'https://spa.example.test/callback';
export const WEB_REDIRECT = 'https://web.example.test/callback';
export const WEB_SECRET = 'web-secret-0123456789-0123456789-0123456789';
export const SERVICE_SECRET = 'service-secret-0123456789-0123456789-01234';

export const TEST_CLIENTS = [
  {
    client_id: 'spa',
    client_name: 'Shell SPA',
    token_endpoint_auth_method: 'none',
    redirect_uris: [SPA_REDIRECT],
    post_logout_redirect_uris: ['https://spa.example.test/'],
    grant_types: ['authorization_code', 'refresh_token'],
  },
  {
    client_id: 'web',
    client_name: 'Web App',
    client_secret: WEB_SECRET,
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: [WEB_REDIRECT],
    post_logout_redirect_uris: ['https://web.example.test/'],
    grant_types: ['authorization_code', 'refresh_token'],
  },
  {
    client_id: 'web-post',
    client_secret: WEB_SECRET,
    token_endpoint_auth_method: 'client_secret_post',
    redirect_uris: [WEB_REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
  },
  {
    client_id: 'service',
    client_secret: SERVICE_SECRET,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
  },
];

export const TEST_RESOURCES = [
  { identifier: API, scopes: { 'orders:read': 'Read your orders', 'orders:write': 'Place orders for you' } },
  { identifier: 'urn:portcullis:admin', scopes: { admin: 'Administer Portcullis' } },
];

export interface RunningPortcullis extends Portcullis {
  issuer: string;
  server: Server;
  config: Readonly<Config>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Redis URL; omit for the in-memory development store. */
  redisUrl?: string | undefined;
  /** Seed nodes (`127.0.0.1:port`) of a Redis Cluster to use instead of `redisUrl`. */
  cluster?: string[] | undefined;
  /** A Sentinel-managed master to use instead of `redisUrl`. */
  sentinel?: { name: string; sentinels: string[] } | undefined;
  /** Key prefix; defaults to a fresh one. Pass the same one to share state between instances. */
  keyPrefix?: string;
  /** Reuse a port (e.g. to restart "the same" provider). */
  port?: number;
  /** Reuse signing keys across instances/restarts. */
  jwksFile?: string;
  cookieKeys?: string[];
  overrides?: Record<string, unknown>;
  /** Where log lines go; silent by default. */
  logger?: Logger;
}

export function uniquePrefix(): string {
  return `t${randomUUID().slice(0, 8)}`;
}

/** The store a test provider talks to: a Cluster, a Sentinel-managed master, one URL, or the embedded store. */
function storeClient(options: StartOptions): RedisClient {
  if (options.cluster) return connectRedis({ cluster: { nodes: options.cluster } });
  if (options.sentinel) return connectRedis({ sentinel: options.sentinel });
  if (options.redisUrl) return connectRedis({ url: options.redisUrl });
  return createMemoryRedis();
}

export async function startPortcullis(options: StartOptions = {}): Promise<RunningPortcullis> {
  const port = options.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    env: {},
    overrides: {
      issuer,
      port,
      logLevel: 'silent',
      redis: { keyPrefix: options.keyPrefix ?? uniquePrefix(), ...(options.redisUrl ? { url: options.redisUrl } : {}) },
      keys: options.jwksFile ? { jwksFile: options.jwksFile } : {},
      cookies: { keys: options.cookieKeys ?? ['test-cookie-key-0123456789-0123456789-0123'] },
      clients: TEST_CLIENTS,
      resources: TEST_RESOURCES,
      // Tests log in many times from one address; the limiter has its own tests.
      loginRateLimit: { perAccount: { points: 5, durationSeconds: 900 }, perIp: { points: 10_000, durationSeconds: 900 } },
      ...options.overrides,
    },
  });
  const redis = storeClient(options);
  redis.on('error', () => undefined);
  const portcullis = await createApp({ config, redis, logger: options.logger ?? createLogger('silent') });
  const server = await new Promise<Server>((resolve) => {
    const listening = portcullis.app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  return {
    ...portcullis,
    issuer,
    server,
    config,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      // The embedded store has nothing to flush; a real client (standalone or Cluster) quits cleanly.
      if (isMemoryRedis(redis)) redis.disconnect();
      else await redis.quit().catch(() => undefined);
    },
  };
}

export { generateSigningKey };
