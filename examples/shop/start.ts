// `npm run example`: Redis → Portcullis → the orders and profile services → the shell, then
// prints where to go and how to sign in. Ports: PORTCULLIS_PORT, SHOP_PORT, ORDERS_PORT, PROFILE_PORT.
import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startRedisServer } from '../../test/helpers/redis-server.ts';
import { revokeAccountGrants } from './admin.ts';
import { PortInUseError } from './listen.ts';
import { seedDemoAccount } from './portcullis.ts';
import { DEFAULT_PORTS, startShop } from './shop.ts';
import { ORDERS, PROFILE } from './settings.ts';

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65_535) {
    console.error(`${name} must be a port number (1-65535), not "${value}".`);
    process.exit(2);
  }
  return Number(value);
}

/** REDIS_URL if set, else a private redis-server for this run, else an explanation. */
async function redis(): Promise<{ url: string; label: string; stop(): Promise<void> }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, label: 'REDIS_URL (keys under shop-demo:)', stop: async () => undefined };
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.error(
      [
        'The shop example needs a real Redis: the services follow Portcullis\' revocation list (a',
        'Redis stream) live, which the in-memory development store cannot offer across processes.',
        '',
        '  Either set REDIS_URL=redis://host:port (its keys go under the prefix shop-demo:),',
        '  or install redis-server (e.g. apt install redis-server, brew install redis) and the',
        '  example starts a private one on a free port and deletes it on exit.',
      ].join('\n'),
    );
    process.exit(1);
  }
  const server = await startRedisServer();
  return { url: server.url, label: `${server.url} (private, deleted on exit)`, stop: () => server.destroy() };
}

async function main(): Promise<void> {
  const ports = {
    portcullis: port('PORTCULLIS_PORT', DEFAULT_PORTS.portcullis),
    shell: port('SHOP_PORT', DEFAULT_PORTS.shell),
    orders: port('ORDERS_PORT', DEFAULT_PORTS.orders),
    profile: port('PROFILE_PORT', DEFAULT_PORTS.profile),
  };
  const store = await redis();
  const shop = await startShop({ redisUrl: store.url, ports }).catch(async (error: unknown) => {
    await store.stop();
    if (error instanceof PortInUseError) {
      console.error(`Port ${error.port} is taken. Choose others with PORTCULLIS_PORT, SHOP_PORT, ORDERS_PORT, PROFILE_PORT.`);
      process.exit(1);
    }
    throw error;
  });
  const account = await seedDemoAccount(shop.provider.portcullis);

  console.log(`
  The shop example is running.

    Shop (shell + 2 micro frontends)  ${shop.urls.shell}
    Portcullis                        ${shop.urls.issuer}
    Orders service (Koa)              ${shop.urls.orders}/orders   aud ${ORDERS.resource}
    Profile service (node:http)       ${shop.urls.profile}/me       aud ${PROFILE.resource}
    Redis                             ${store.label}

    Sign in as   username: ${account.username}   password: ${account.password}
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await shop.close();
    await store.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());

  if (!process.stdin.isTTY) return;
  console.log(`    Type r and Enter to revoke ${account.username}'s grants through the admin API, then press a
    micro frontend's Reload button: its service refuses the token at once, long before it expires.
    Ctrl+C stops everything.
`);
  const input = createInterface({ input: process.stdin });
  // readline takes Ctrl+C from the terminal; without this it would only pause.
  input.on('SIGINT', () => void stop());
  input.on('line', (line) => {
    if (line.trim() !== 'r') return;
    revokeAccountGrants(shop.admin, account.id, 'revoked from the example console').then(
      (revoked) => console.log(`    Revoked ${revoked.length} grant(s): ${revoked.map((grant) => grant.grantId).join(', ') || 'none (sign in first)'}`),
      (error: unknown) => console.error(`    Revocation failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  });
}

main().catch((error: unknown) => {
  console.error('The shop example failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
