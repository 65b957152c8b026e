// Start-up: load config → connect store → build app → listen → shut down gracefully.
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { createApp } from './app.ts';
import { demoClient } from './demo/client.ts';
import { createLogger } from './observability/logger.ts';
import { connectRedis } from './store/connect.ts';

function usesMemoryStore(config: Readonly<Config>): boolean {
  return !config.redis.url && !config.redis.cluster && !config.redis.sentinel;
}

function banner(...lines: string[]): void {
  const width = Math.max(...lines.map((l) => l.length));
  const rule = '!'.repeat(width + 6);
  console.error(['', rule, ...lines.map((l) => `!! ${l.padEnd(width)} !!`), rule, ''].join('\n'));
}

async function main(): Promise<void> {
  let config = loadConfig();
  const logger = createLogger(config.logLevel);
  const memory = usesMemoryStore(config);
  const seed = memory && config.development.seed;
  if (seed) config = loadConfig({ overrides: { clients: [...config.clients, demoClient(config.issuer)] } });

  const redis = connectRedis(config.redis);
  redis.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'store connection problem'));
  const portcullis = await createApp({ config, redis, logger, demo: seed });

  if (memory) {
    logger.warn('DEVELOPMENT ONLY: no REDIS_URL, so all state lives in this process and vanishes when it stops.');
    banner('DEVELOPMENT ONLY: in-memory store (no REDIS_URL). Every login, grant and token', 'vanishes when this process stops. Set REDIS_URL=redis://... for real use.');
  }
  if (portcullis.generatedSecrets) {
    logger.warn('DEVELOPMENT ONLY: signing and cookie keys were generated; set SIGNING_KEYS_FILE and COOKIE_KEYS for production.');
  }
  if (seed) {
    const password = randomBytes(9).toString('base64url');
    await portcullis.accounts.create({ username: 'demo', password, name: 'Demo User', email: 'demo@example.com' });
    console.log(`\n  Demo account   username: demo   password: ${password}\n  Try it         ${config.issuer}/demo\n`);
  }

  const server = portcullis.app.listen(config.port, () => {
    logger.info({ issuer: config.issuer, port: config.port, store: memory ? 'memory' : 'redis' }, 'Portcullis listening');
  });

  const metricsServer = config.metrics.port === null ? undefined : await portcullis.metrics.listen(config.metrics.port, config.metrics.host);

  const shutdown = (signal: string) => {
    metricsServer?.close();
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void redis.quit().finally(() => process.exit(0));
    });
    // Keep-alive connections would hold close() open; give in-flight requests 10 s.
    setTimeout(() => process.exit(0), 10_000).unref();
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error('Portcullis failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
