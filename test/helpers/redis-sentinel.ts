// Starts one redis-server master and one Sentinel watching it, on free loopback ports, for tests
// of `connectRedis({ sentinel })`: the client asks the Sentinel where the master is, then talks to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort, startRedisServer, type RedisServer } from './redis-server.ts';

// A deadline that only turns a hang into an error; a Sentinel answers within milliseconds.
const READY_DEADLINE_MS = 10_000;

export interface RedisSentinel {
  /** The master name the Sentinel monitors. */
  readonly name: string;
  /** Sentinel addresses as `127.0.0.1:port`, the form `connectRedis({ sentinel })` takes. */
  readonly sentinels: string[];
  readonly master: RedisServer;
  /** Stops the Sentinel and the master and removes their directories. */
  stop(): Promise<void>;
}

async function untilMasterKnown(port: number, name: string, masterPort: number): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  for (;;) {
    const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const address = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as string[] | null;
      if (address?.[1] === String(masterPort)) return;
    } catch {
      // Not listening yet: try again until the deadline.
    } finally {
      client.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`Sentinel on ${port} does not know master ${name} after ${READY_DEADLINE_MS} ms`);
    await sleep(50);
  }
}

export async function startRedisSentinel(name = 'portcullis'): Promise<RedisSentinel> {
  const master = await startRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-sentinel-'));
  // Sentinel rewrites its config file at run time, so it needs a writable file of its own.
  const config = join(dir, 'sentinel.conf');
  writeFileSync(config, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`, ''].join('\n'));
  const child: ChildProcess = spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    await master.destroy();
  };
  try {
    await untilMasterKnown(port, name, master.port);
    return { name, sentinels: [`127.0.0.1:${port}`], master, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
