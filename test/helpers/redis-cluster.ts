// Starts a private Redis Cluster (three masters, no replicas) on free loopback ports for tests.
// Three masters is the smallest cluster redis-cli will create, and it spreads the 16384 slots so
// that keys of different hash tags really land on different nodes.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePort } from './redis-server.ts';

const run = promisify(execFile);

const MASTERS = 3;
// Startup normally takes well under a second per step; the deadline only turns a hang into an error.
const READY_DEADLINE_MS = 15_000;

export interface RedisCluster {
  /** Seed nodes as `127.0.0.1:port`, the form `connectRedis({ cluster: { nodes } })` takes. */
  readonly nodes: string[];
  /** Kills one node (SIGKILL, like a crash) and waits for it to exit. */
  kill(node: string): Promise<void>;
  /** Starts a killed node again on its port and config file, and waits until the cluster is ok. */
  restart(node: string): Promise<void>;
  /** Kills every node and removes the data directory. */
  stop(): Promise<void>;
}

async function untilReady(url: string, ready: (client: Redis) => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if (await ready(client)) return;
    } catch {
      // Not listening yet: try again until the deadline.
    } finally {
      client.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`Redis Cluster node ${url} not ready after ${READY_DEADLINE_MS} ms`);
    await sleep(50);
  }
}

async function clusterOk(client: Redis): Promise<boolean> {
  const info = (await client.call('CLUSTER', 'INFO')) as string;
  return /cluster_state:ok/.test(info);
}

export interface RedisClusterOptions {
  /**
   * cluster-node-timeout: how long a silent master takes to be marked failed, after which the
   * cluster refuses every key (no replicas here). Redis' default is 15 s.
   */
  nodeTimeoutMs?: number;
}

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];

  const launch = (port: number): ChildProcess => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes'];
    args.push('--cluster-config-file', join(dir, `nodes-${port}.conf`), '--appendonly', 'no', '--save', '');
    if (options.nodeTimeoutMs) args.push('--cluster-node-timeout', String(options.nodeTimeoutMs));
    return spawn('redis-server', args, { stdio: 'ignore' });
  };
  const kill = async (child: ChildProcess | undefined): Promise<void> => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(kill));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    while (ports.length < MASTERS) {
      const port = await freePort();
      // freePort() may hand back the same port twice before anything listens on it.
      if (!ports.includes(port)) ports.push(port);
    }
    for (const port of ports) children.push(launch(port));
    await Promise.all(ports.map((port) => untilReady(`redis://127.0.0.1:${port}`, async (client) => (await client.ping()) === 'PONG')));
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    // Each node must have heard of every slot's owner before a client may rely on the slot map.
    await Promise.all(ports.map((port) => untilReady(`redis://127.0.0.1:${port}`, clusterOk)));
    return {
      nodes,
      stop,
      kill: (node) => kill(children[nodes.indexOf(node)]),
      restart: async (node) => {
        const index = nodes.indexOf(node);
        await kill(children[index]);
        children[index] = launch(ports[index] as number);
        // The node reloads its slots from its config file; every node must see it serving them.
        await Promise.all(ports.map((port) => untilReady(`redis://127.0.0.1:${port}`, clusterOk)));
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * KEYS on every master: a Cluster client sends KEYS to one node, which only knows its own slots.
 * Tests use this to see everything a prefix wrote, wherever the slots put it.
 */
export async function keysMatching(redis: Redis | Cluster, pattern: string): Promise<string[]> {
  if (!(redis instanceof Cluster)) return redis.keys(pattern);
  const perNode = await Promise.all(redis.nodes('master').map((node) => node.keys(pattern)));
  return perNode.flat();
}
