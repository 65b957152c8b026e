// Verifier throughput on valid tokens with 100,000 denylist entries loaded, against bare
// jose.jwtVerify with the same key in the same process. Target: at least 95 %.
// Alternating rounds, so drift (thermal, GC, JIT) hits both sides alike. Loopback only.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { jwtVerify } from 'jose';
import { createKeys } from '../src/store/keys.ts';
import { createVerifier } from '../src/verifier/index.ts';
import { startRedisServer } from '../test/helpers/redis-server.ts';
import { AUDIENCE, nowSeconds, startTestIssuer } from '../test/integration/verifier/support/test-issuer.ts';
import { format, opsPerSecond } from './lib/measure.ts';

const ENTRIES = 100_000;
const TOKENS = 1_000;
// Many short alternating rounds and the median of per-round ratios: a burst of load from another
// process then spoils one pair, not the figure.
const ROUNDS = 20;
const ROUND_MS = 400;

const redisServer = await startRedisServer();
const issuer = await startTestIssuer();
const keys = createKeys('bench');
const writer = new Redis(redisServer.url);
try {
  const now = nowSeconds();
  const stream = keys.denylistStream();
  for (let start = 0; start < ENTRIES; start += 10_000) {
    const pipeline = writer.pipeline();
    for (let i = start; i < start + 10_000; i += 1) {
      const kind = i % 10 === 0 ? 'sub' : i % 3 === 0 ? 'grant' : 'jti';
      const fields = ['kind', kind, 'value', `${kind}-${i}`, 'expires_at', String(now + 3600)];
      if (kind === 'sub') fields.push('before', String(now - 3600));
      pipeline.xadd(stream, '*', ...fields);
    }
    await pipeline.exec();
  }
  const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, redis: redisServer.url, keyPrefix: 'bench' });
  const loadStarted = performance.now();
  await verifier.ready();
  const loadMs = performance.now() - loadStarted;
  console.log(`denylist snapshot: ${format(verifier.status().entries)} entries loaded in ${format(loadMs)} ms`);

  const tokens = await Promise.all(Array.from({ length: TOKENS }, () => issuer.token({ jti: randomUUID(), sub: `user-${randomUUID()}` })));
  const bareOptions = { issuer: issuer.issuer, audience: AUDIENCE, algorithms: ['ES256'], typ: 'at+jwt' };
  let b = 0;
  let v = 0;
  const bare = () => jwtVerify(tokens[b++ % TOKENS] as string, issuer.publicKey, bareOptions);
  const ours = () => verifier.verify(tokens[v++ % TOKENS]);
  // Warm both paths (JIT, JWKS fetch) before measuring.
  await opsPerSecond(bare, 300);
  await opsPerSecond(ours, 300);

  const bareRates: number[] = [];
  const ourRates: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    bareRates.push(await opsPerSecond(bare, ROUND_MS));
    ourRates.push(await opsPerSecond(ours, ROUND_MS));
  }
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  const ratios = ourRates.map((rate, i) => rate / (bareRates[i] as number));
  console.log(`bare jose.jwtVerify (ES256): median ${format(median(bareRates))} ops/s  (min ${format(Math.min(...bareRates))}, max ${format(Math.max(...bareRates))})`);
  console.log(`portcullis verifier        : median ${format(median(ourRates))} ops/s  (min ${format(Math.min(...ourRates))}, max ${format(Math.max(...ourRates))})`);
  console.log(
    `ratio (median of ${ROUNDS} paired rounds): ${(median(ratios) * 100).toFixed(1)} % (target >= 95 %); ` +
      `overall ${((ourRates.reduce((a, x) => a + x, 0) / bareRates.reduce((a, x) => a + x, 0)) * 100).toFixed(1)} %; denylist entries: ${format(verifier.status().entries)}`,
  );
  await verifier.close();
} finally {
  writer.disconnect();
  await issuer.stop();
  await redisServer.destroy();
}
