// The whole example in one call: Portcullis, the orders and profile services, and the shell.
// start.ts runs it for people; test/e2e/example-shop.test.ts runs it for Chromium.
import { randomBytes } from 'node:crypto';
import type { AdminClient } from './admin.ts';
import { startProvider, type RunningProvider } from './portcullis.ts';
import { startOrdersService } from './services/orders.ts';
import type { RunningService } from './services/options.ts';
import { startProfileService } from './services/profile.ts';
import { ADMIN_CLIENT_ID, ORDERS, PROFILE, SHELL_CLIENT_ID } from './settings.ts';
import { startShell, type RunningShell } from './shell/server.ts';

export interface ShopPorts {
  portcullis: number;
  shell: number;
  orders: number;
  profile: number;
}

export const DEFAULT_PORTS: ShopPorts = { portcullis: 3000, shell: 4000, orders: 4001, profile: 4002 };

export interface ShopOptions {
  /** A real Redis: Portcullis' store and the services' denylist feed. */
  redisUrl: string;
  ports?: Partial<ShopPorts>;
  /** Key prefix of everything the example writes. Default `shop-demo`. */
  keyPrefix?: string;
  logLevel?: string;
}

export interface RunningShop {
  urls: { issuer: string; shell: string; orders: string; profile: string };
  provider: RunningProvider;
  orders: RunningService;
  profile: RunningService;
  shell: RunningShell;
  /** Credentials of the admin API client (client_credentials), generated per run. */
  admin: AdminClient;
  close(): Promise<void>;
}

export async function startShop(options: ShopOptions): Promise<RunningShop> {
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  // `localhost`: the URLs people type are the ones Portcullis must see, character for character
  // (issuer, redirect URI, CORS origin). Every server still listens on 127.0.0.1 only.
  const urls = {
    issuer: `http://localhost:${ports.portcullis}`,
    shell: `http://localhost:${ports.shell}`,
    orders: `http://localhost:${ports.orders}`,
    profile: `http://localhost:${ports.profile}`,
  };
  const keyPrefix = options.keyPrefix ?? 'shop-demo';
  // 32 random bytes: the admin client's secret lives only as long as this run.
  const admin: AdminClient = { issuer: urls.issuer, clientId: ADMIN_CLIENT_ID, clientSecret: randomBytes(32).toString('base64url') };

  const started: { close(): Promise<void> }[] = [];
  const close = async () => {
    for (const part of started.splice(0).reverse()) await part.close();
  };
  try {
    const provider = await startProvider({
      issuer: urls.issuer,
      shellOrigin: urls.shell,
      redisUrl: options.redisUrl,
      keyPrefix,
      adminSecret: admin.clientSecret,
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    });
    started.push(provider);
    const service = { issuer: urls.issuer, redisUrl: options.redisUrl, keyPrefix, shellOrigin: urls.shell };
    const orders = await startOrdersService({ ...service, port: ports.orders });
    started.push(orders);
    const profile = await startProfileService({ ...service, port: ports.profile });
    started.push(profile);
    const shell = await startShell({
      port: ports.shell,
      config: {
        issuer: urls.issuer,
        clientId: SHELL_CLIENT_ID,
        microFrontends: [
          { name: 'orders', module: '/mfe/orders.js', api: urls.orders, resource: ORDERS.resource, scope: ORDERS.scope },
          { name: 'profile', module: '/mfe/profile.js', api: urls.profile, resource: PROFILE.resource, scope: PROFILE.scope },
        ],
      },
    });
    started.push(shell);
    return { urls, provider, orders, profile, shell, admin, close };
  } catch (error) {
    await close();
    throw error;
  }
}
