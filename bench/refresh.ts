// Refresh-token rotation under load: 32 logins, then 32 closed-loop clients each refreshing its
// own family through the HTTP token endpoint for a fixed time, against a private redis-server.
// Prints requests/s, latency percentiles, errors, and the Redis bytes one login occupies after it
// all (exact MEMORY USAGE of every key of its grant). Portcullis runs as worker processes
// (node:cluster, one per core by default) in a child process, so the load generator does not
// share their event loops; all of it shares this machine's cores, as the issue's target assumes.
//
// Options: --clients N (32) --seconds S (20) --warmup S (3) --workers N (2: one per core)
// --profile DIR (CPU profiles of the provider processes)
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { AccountStore } from '../src/accounts/store.ts';
import { createKeys } from '../src/store/keys.ts';
import { authorize } from '../test/helpers/login.ts';
import { API, SPA_REDIRECT } from '../test/helpers/portcullis.ts';
import { freePort, startRedisServer } from '../test/helpers/redis-server.ts';
import { format } from './lib/measure.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    // Portcullis processes (node:cluster on one port), as N stateless instances behind a balancer.
    workers: { type: 'string', default: '2' },
    // Write a V8 CPU profile of the provider process into this directory.
    profile: { type: 'string' },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const WARMUP_SECONDS = Number(values.warmup);
const USERNAME = 'bench';
const PASSWORD = 'bench-password-0123456789';
const KEY_PREFIX = 'bench';

const redisServer = await startRedisServer();
{
  // The account the bench logs in as; hashing its password once here keeps the servers simple.
  const redis = new Redis(redisServer.url);
  await new AccountStore(redis, createKeys(KEY_PREFIX)).create({ username: USERNAME, password: PASSWORD });
  await redis.quit();
}
const child = spawn(
  process.execPath,
  [
    '--experimental-strip-types',
    '--no-warnings=ExperimentalWarning',
    ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []),
    fileURLToPath(new URL('./lib/refresh-server.ts', import.meta.url)),
    redisServer.url,
    KEY_PREFIX,
    String(await freePort()),
    values.workers,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

try {
  const { issuer } = JSON.parse(await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`provider exited (${code})`)));
  })) as { issuer: string };
  const tokenUrl = new URL('/token', issuer);

  /** One POST to the token endpoint over the keep-alive agent; resolves status and parsed body. */
  function post(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
    const payload = new URLSearchParams(form).toString();
    return new Promise((resolve, reject) => {
      const req = request(tokenUrl, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  async function login(): Promise<string> {
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL('/auth', issuer);
    url.search = new URLSearchParams({
      client_id: 'spa',
      redirect_uri: SPA_REDIRECT,
      response_type: 'code',
      scope: 'openid offline_access orders:read',
      resource: API,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      // offline_access (a refresh token) needs an explicit consent prompt (OIDC Core §11).
      prompt: 'consent',
    }).toString();
    const { callback } = await authorize(issuer, url, { username: USERNAME, password: PASSWORD });
    const code = callback.searchParams.get('code') ?? '';
    const { status, body } = await post({ grant_type: 'authorization_code', code, redirect_uri: SPA_REDIRECT, code_verifier: verifier, client_id: 'spa' });
    if (status !== 200 || typeof body.refresh_token !== 'string') throw new Error(`login failed: ${status} ${JSON.stringify(body)}`);
    return body.refresh_token as string;
  }

  const families: string[] = [];
  for (let i = 0; i < CLIENTS; i += 1) families.push(await login());
  console.log(`logged in ${CLIENTS} families; warming up ${WARMUP_SECONDS} s, then ${CLIENTS} clients refresh for ${SECONDS} s`);

  interface Run { latencies: number[]; errors: number; firstError: string | undefined }

  /** Each client refreshes its own family back to back until the deadline. */
  async function run(seconds: number): Promise<Run> {
    const result: Run = { latencies: [], errors: 0, firstError: undefined };
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(families.map(async (_, i) => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const { status, body } = await post({ grant_type: 'refresh_token', refresh_token: families[i] as string, client_id: 'spa' });
        result.latencies.push(performance.now() - started);
        if (status === 200 && typeof body.refresh_token === 'string' && typeof body.access_token === 'string') {
          families[i] = body.refresh_token;
        } else {
          result.errors += 1;
          result.firstError ??= `${status} ${JSON.stringify(body)}`;
          return;
        }
      }
    }));
    return result;
  }

  const warm = await run(WARMUP_SECONDS);
  const measured = await run(SECONDS);
  const sorted = [...measured.latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  console.log(`refreshes: ${format(sorted.length)} in ${SECONDS} s = ${format(sorted.length / SECONDS)} /s`);
  console.log(`latency ms: p50 ${at(0.5).toFixed(1)}  p90 ${at(0.9).toFixed(1)}  p99 ${at(0.99).toFixed(1)}  max ${(sorted.at(-1) ?? 0).toFixed(1)}`);
  console.log(`errors: ${measured.errors}${measured.firstError ? ` (first: ${measured.firstError})` : ''}`);

  // Bytes one login occupies now: every key carrying its grant's hash tag.
  const redis = new Redis(redisServer.url);
  const grantId = (families[0] as string).split('.')[0] as string;
  let bytes = 0;
  let keys = 0;
  const perKey: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${KEY_PREFIX}:*{${grantId}}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of found) {
      const usage = (await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number;
      bytes += usage;
      keys += 1;
      perKey.push(`${key.split(':')[1] ?? key} ${usage}`);
    }
  } while (cursor !== '0');
  const rotations = (warm.latencies.length + measured.latencies.length) / CLIENTS;
  console.log(`redis bytes for one login after ~${format(rotations)} rotations: ${format(bytes)} in ${keys} keys (${perKey.sort().join(', ')})`);
  await redis.quit();
} finally {
  agent.destroy();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await redisServer.destroy();
}
