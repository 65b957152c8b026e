// Revocation propagation: how long after an admin's revoke call returns do verifiers refuse the
// revoked grant's token? A private redis-server, a real provider, four verifier processes
// (bench/lib/propagation-verifier.ts). Each round: a user signs in (a fresh grant), every verifier
// accepts its access token and then keeps verifying it in a tight loop, the admin API revokes the
// grant over HTTP, and each verifier reports when it first refuses the token. Target: p99 < 50 ms.
//
//   npm run bench -- propagation [ROUNDS]      (default 60, at least 50)
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';
import { authorize } from '../test/helpers/login.ts';
import { API, startPortcullis, TEST_CLIENTS, WEB_REDIRECT, WEB_SECRET } from '../test/helpers/portcullis.ts';
import { startRedisServer } from '../test/helpers/redis-server.ts';

const VERIFIERS = 4;
const ROUNDS = Math.max(50, Number(process.argv[2] ?? 60));
const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789-0123456789' };
const USER = { username: 'bench-user', password: 'bench password 0123' };

const now = () => performance.timeOrigin + performance.now();

interface VerifierProcess {
  child: ChildProcess;
  next(type: string, round?: number): Promise<Record<string, unknown>>;
}

function startVerifier(args: string[]): Promise<VerifierProcess> {
  const child = fork(fileURLToPath(new URL('./lib/propagation-verifier.ts', import.meta.url)), args, {
    execArgv: ['--experimental-strip-types', '--no-warnings=ExperimentalWarning'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: Record<string, unknown>[] = [];
  const waiting: { type: string; round: number | undefined; resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  const deliver = () => {
    for (const waiter of [...waiting]) {
      const index = inbox.findIndex((m) => (m.type === waiter.type || m.type === 'failed') && (waiter.round === undefined || m.round === waiter.round));
      if (index < 0) continue;
      const [message] = inbox.splice(index, 1) as [Record<string, unknown>];
      waiting.splice(waiting.indexOf(waiter), 1);
      if (message.type === 'failed') waiter.reject(new Error(`verifier failed in round ${String(message.round)}: ${String(message.code)}`));
      else waiter.resolve(message);
    }
  };
  child.on('message', (message: Record<string, unknown>) => {
    inbox.push(message);
    deliver();
  });
  const handle: VerifierProcess = {
    child,
    next: (type, round) =>
      new Promise((resolve, reject) => {
        waiting.push({ type, round, resolve, reject });
        deliver();
      }),
  };
  return handle.next('ready').then(() => handle);
}

async function tokenEndpoint(issuer: string, auth: string, params: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
  });
  const body = (await response.json()) as Record<string, string>;
  if (response.status !== 200) throw new Error(`token endpoint ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A fresh sign-in (own session, so a fresh grant) through the confidential client `web`. */
async function freshGrant(issuer: string): Promise<{ accessToken: string; grantId: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL('/auth', issuer);
  const params = {
    client_id: 'web',
    redirect_uri: WEB_REDIRECT,
    response_type: 'code',
    scope: 'openid orders:read',
    resource: API,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const { callback } = await authorize(issuer, url, USER);
  const tokens = await tokenEndpoint(issuer, `web:${WEB_SECRET}`, { grant_type: 'authorization_code', code: callback.searchParams.get('code') as string, redirect_uri: WEB_REDIRECT, code_verifier: verifier });
  const accessToken = tokens.access_token as string;
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString()) as { grant_id: string };
  return { accessToken, grantId: claims.grant_id };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

const redisServer = await startRedisServer();
const op = await startPortcullis({
  redisUrl: redisServer.url,
  overrides: { logLevel: 'silent', clients: [...TEST_CLIENTS, { client_id: ADMIN.id, client_secret: ADMIN.secret, grant_types: ['client_credentials'], admin: true }] },
});
const verifiers: VerifierProcess[] = [];
try {
  await op.accounts.create(USER);
  const args = [op.issuer, API, redisServer.url, op.config.redis.keyPrefix, String(op.revoker.maxAccessTokenTtlSeconds + 60)];
  for (let i = 0; i < VERIFIERS; i += 1) verifiers.push(await startVerifier(args));
  const adminToken = (await tokenEndpoint(op.issuer, `${ADMIN.id}:${ADMIN.secret}`, { grant_type: 'client_credentials', resource: 'urn:portcullis:admin', scope: 'admin' })).access_token as string;

  console.log(`propagation: ${VERIFIERS} verifier processes, ${ROUNDS} rounds, ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(2)} at start`);
  const samples: number[] = [];
  const fromStart: number[] = [];
  const adminCallMs: number[] = [];
  let refusedBeforeReturn = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const { accessToken, grantId } = await freshGrant(op.issuer);
    const armed = verifiers.map((v) => v.next('armed', round));
    const revoked = verifiers.map((v) => v.next('revoked', round));
    for (const v of verifiers) v.child.send({ type: 'watch', round, token: accessToken });
    await Promise.all(armed);

    const started = now();
    const response = await fetch(`${op.issuer}/admin/v1/grants/${grantId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: `bench round ${round}` }),
    });
    await response.arrayBuffer();
    const returned = now();
    if (response.status !== 200) throw new Error(`admin revoke answered ${response.status}`);
    adminCallMs.push(returned - started);

    for (const message of await Promise.all(revoked)) {
      fromStart.push((message.at as number) - started);
      const latency = (message.at as number) - returned;
      // The entry is durable before the response leaves, so a verifier may refuse the token
      // before the caller has even read the response: that is 0 ms after the return.
      if (latency < 0) refusedBeforeReturn += 1;
      samples.push(Math.max(0, latency));
    }
  }

  const sorted = [...samples].sort((a, b) => a - b);
  const calls = [...adminCallMs].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  console.log(`admin revoke call (HTTP round trip, denylist write included): p50 ${fmt(percentile(calls, 50))}, p99 ${fmt(percentile(calls, 99))}, max ${fmt(calls.at(-1) as number)}`);
  console.log(`admin call returned → verifier refuses the token (${sorted.length} samples = ${ROUNDS} rounds × ${VERIFIERS} verifiers):`);
  console.log(`  p50 ${fmt(percentile(sorted, 50))}   p99 ${fmt(p99)}   max ${fmt(sorted.at(-1) as number)}   (${refusedBeforeReturn} already refusing when the call returned)`);
  console.log(`  target p99 < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'}`);
  const whole = [...fromStart].sort((a, b) => a - b);
  console.log(`admin call sent → verifier refuses (for context): p50 ${fmt(percentile(whole, 50))}   p99 ${fmt(percentile(whole, 99))}   max ${fmt(whole.at(-1) as number)}`);
} finally {
  for (const v of verifiers) v.child.send({ type: 'stop' });
  await Promise.all(verifiers.map((v) => new Promise((resolve) => (v.child.exitCode === null ? v.child.once('exit', resolve) : resolve(undefined)))));
  await op.close();
  await redisServer.destroy();
}
