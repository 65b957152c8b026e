// The login limiter (rate-limiter-flexible's RateLimiterRedis) on a Cluster client, through the
// real login form: failures counted per account and per client IP lock with 429, and a success
// clears the account's count. Its counters are single keys, so each call stays on one slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, follow, formFields, type Page } from '../../helpers/login.ts';
import { startPortcullis, type RunningPortcullis } from '../../helpers/portcullis.ts';
import { keysMatching, startRedisCluster, type RedisCluster } from '../../helpers/redis-cluster.ts';
import { authorizationRequest, PASSWORD, USERNAME } from '../conformance/support.ts';

let cluster: RedisCluster;
let op: RunningPortcullis;

beforeAll(async () => {
  cluster = await startRedisCluster();
  // Per IP high enough for the per-account cases; the per-IP case below runs a strict instance.
  op = await startPortcullis({
    cluster: cluster.nodes,
    overrides: { loginRateLimit: { perAccount: { points: 3, durationSeconds: 900 }, perIp: { points: 100, durationSeconds: 900 } } },
  });
  await op.accounts.create({ username: USERNAME, password: PASSWORD });
  await op.accounts.create({ username: 'bob', password: 'bob-password' });
  await op.accounts.create({ username: 'carol', password: 'carol-password' });
});

afterAll(async () => {
  await op?.close();
  await cluster?.stop();
});

interface LoginPage extends Page {
  jar: CookieJar;
}

async function loginPage(target: RunningPortcullis = op): Promise<LoginPage> {
  const jar = new CookieJar();
  const { url } = await authorizationRequest(target, 'web');
  const page = await follow(url, jar, target.issuer);
  if (!('html' in page) || !page.html.includes('name="password"')) throw new Error('expected the login page');
  return { ...page, jar };
}

function postLogin(page: LoginPage, username: string, password: string, issuer = op.issuer): Promise<Response> {
  return fetch(new URL(formFields(page.html).action, page.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: page.jar.header(), origin: issuer },
    body: new URLSearchParams({ csrf: formFields(page.html).csrf, username, password }).toString(),
  });
}

describe('login throttling on Redis Cluster', () => {
  it('locks an account after its failures with 429 and Retry-After, even for the right password', async () => {
    const page = await loginPage();
    for (let attempt = 1; attempt <= 3; attempt += 1) expect((await postLogin(page, 'bob', 'wrong')).status).toBe(400);
    const locked = await postLogin(page, 'bob', 'bob-password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The counters live on the cluster, under the limiter's key prefix.
    expect((await keysMatching(op.redis, `${op.keys.rateLimit('login-account')}*`)).length).toBeGreaterThan(0);
    expect((await postLogin(page, USERNAME, PASSWORD)).status).toBe(303);
  });

  it('clears the account count on success', async () => {
    const page = await loginPage();
    for (let attempt = 1; attempt <= 2; attempt += 1) expect((await postLogin(page, 'carol', 'wrong')).status).toBe(400);
    expect((await postLogin(page, 'carol', 'carol-password')).status).toBe(303);
    const again = await loginPage();
    for (let attempt = 1; attempt <= 2; attempt += 1) expect((await postLogin(again, 'carol', 'wrong')).status).toBe(400);
    expect((await postLogin(again, 'carol', 'carol-password')).status).toBe(303);
  });

  it('locks a client IP after its limit of failures across accounts', async () => {
    const strict = await startPortcullis({
      cluster: cluster.nodes,
      overrides: { loginRateLimit: { perAccount: { points: 100, durationSeconds: 900 }, perIp: { points: 3, durationSeconds: 900 } } },
    });
    try {
      await strict.accounts.create({ username: USERNAME, password: PASSWORD });
      const page = await loginPage(strict);
      for (const username of ['u1', 'u2', 'u3']) expect((await postLogin(page, username, 'wrong', strict.issuer)).status).toBe(400);
      const locked = await postLogin(page, USERNAME, PASSWORD, strict.issuer);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });
});
