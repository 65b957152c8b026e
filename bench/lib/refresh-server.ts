// Child process of bench/refresh.ts: WORKERS Portcullis processes (node:cluster, one shared port,
// the test clients, logs silent) against the bench's private Redis. Prints one JSON line
// {issuer} once every worker listens, and stops them all on SIGTERM.
import cluster from 'node:cluster';
import { startPortcullis } from '../../test/helpers/portcullis.ts';

const [redisUrl, keyPrefix, port, workers] = process.argv.slice(2);
if (!redisUrl || !keyPrefix || !port || !workers) throw new Error('usage: refresh-server.ts REDIS_URL KEY_PREFIX PORT WORKERS');

if (cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < Number(workers); i += 1) {
    cluster.fork().on('message', () => {
      listening += 1;
      if (listening === Number(workers)) process.stdout.write(`${JSON.stringify({ issuer: `http://127.0.0.1:${port}` })}\n`);
    });
  }
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  });
} else {
  const op = await startPortcullis({ redisUrl, keyPrefix, port: Number(port) });
  process.send?.('listening');
  process.on('SIGTERM', () => {
    void op.close().then(() => process.exit(0));
  });
}
