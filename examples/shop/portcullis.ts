// Runs Portcullis for the shop: the same createApp as `npm start`, with the shop's clients and
// resources passed as configuration overrides (a deployment would put them in PORTCULLIS_CONFIG).
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createApp, type Portcullis } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { connectRedis } from '../../src/store/connect.ts';
import { closeServer, listen } from './listen.ts';
import { ADMIN_CLIENT_ID, ORDERS, PROFILE, SHELL_CLIENT_ID, type ServiceIdentity } from './settings.ts';

export interface ProviderOptions {
  /** Public URL, e.g. http://localhost:3000; Portcullis listens on its port. */
  issuer: string;
  /** The shell's origin: its redirect URI and the only page origin allowed to call the token endpoint. */
  shellOrigin: string;
  redisUrl: string;
  keyPrefix: string;
  /** Secret of the admin client (client_credentials); at least 32 characters. */
  adminSecret: string;
  logLevel?: string;
}

export interface RunningProvider {
  portcullis: Portcullis;
  server: Server;
  close(): Promise<void>;
}

const resource = (service: ServiceIdentity) => ({ identifier: service.resource, scopes: { [service.scope]: service.description } });

function shopConfig(options: ProviderOptions) {
  // Defaults first, so the admin resource stays when ours are added (arrays replace, not merge).
  const defaults = loadConfig({ env: {} });
  return loadConfig({
    env: {},
    overrides: {
      issuer: options.issuer,
      port: Number(new URL(options.issuer).port),
      logLevel: options.logLevel ?? 'warn',
      redis: { url: options.redisUrl, keyPrefix: options.keyPrefix },
      resources: [...defaults.resources, resource(ORDERS), resource(PROFILE)],
      clients: [
        {
          client_id: SHELL_CLIENT_ID,
          client_name: 'Shop',
          token_endpoint_auth_method: 'none',
          redirect_uris: [`${options.shellOrigin}/callback`],
          post_logout_redirect_uris: [`${options.shellOrigin}/`],
          grant_types: ['authorization_code', 'refresh_token'],
        },
        { client_id: ADMIN_CLIENT_ID, client_secret: options.adminSecret, grant_types: ['client_credentials'], admin: true },
      ],
    },
  });
}

export async function startProvider(options: ProviderOptions): Promise<RunningProvider> {
  const config = shopConfig(options);
  const redis = connectRedis({ url: options.redisUrl });
  const logger = createLogger(config.logLevel);
  redis.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'store connection problem'));
  const portcullis = await createApp({ config, redis, logger });
  const server = await listen(portcullis.app.callback(), config.port);
  return {
    portcullis,
    server,
    close: async () => {
      await closeServer(server);
      if (redis instanceof Redis) await redis.quit().catch(() => undefined);
    },
  };
}

export interface DemoAccount {
  id: string;
  username: string;
  password: string;
}

/** Creates the demo account, or gives it a new password when a persistent Redis already has it. */
export async function seedDemoAccount(portcullis: Portcullis, username = 'demo'): Promise<DemoAccount> {
  // 12 random bytes: a fresh, unguessable password per run, never one that lives in the docs.
  const password = randomBytes(12).toString('base64url');
  const existing = await portcullis.accounts.findByUsername(username);
  const account = existing
    ? await portcullis.accounts.setPassword(username, password)
    : await portcullis.accounts.create({ username, password, name: 'Demo Shopper', email: 'demo@shop.example' });
  return { id: account.id, username, password };
}
