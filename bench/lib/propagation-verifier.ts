// One verifier process of the propagation bench (bench/propagation.ts forks four). It follows the
// denylist like any microservice; when handed a token it verifies it in a tight loop, yielding to
// the event loop between calls as a server would between requests, and reports the moment the
// token is first refused as revoked.
//
// Messages in:  { type: 'watch', round, token }   |  { type: 'stop' }
// Messages out: { type: 'ready' } | { type: 'armed', round } | { type: 'revoked', round, at, checks } | { type: 'failed', round, code }
import { createVerifier } from '../../src/verifier/index.ts';

const [issuer, audience, redis, keyPrefix, maxTokenTtlSeconds] = process.argv.slice(2);
if (!issuer || !audience || !redis || !keyPrefix || !maxTokenTtlSeconds) throw new Error('usage: propagation-verifier ISSUER AUDIENCE REDIS_URL PREFIX MAX_TTL');

const verifier = createVerifier({ issuer, audience, redis, keyPrefix, maxTokenTtlSeconds: Number(maxTokenTtlSeconds) });
await verifier.ready();

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes of one host. */
const now = () => performance.timeOrigin + performance.now();
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const send = (message: Record<string, unknown>) => process.send?.(message);

async function codeOf(token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'OK';
  } catch (error) {
    return (error as { code?: string }).code ?? 'ERROR';
  }
}

async function watch(round: number, token: string): Promise<void> {
  const first = await codeOf(token);
  if (first !== 'OK') {
    send({ type: 'failed', round, code: first });
    return;
  }
  send({ type: 'armed', round });
  let checks = 0;
  for (;;) {
    const code = await codeOf(token);
    checks += 1;
    if (code === 'ERR_TOKEN_REVOKED') {
      send({ type: 'revoked', round, at: now(), checks });
      return;
    }
    if (code !== 'OK') {
      send({ type: 'failed', round, code });
      return;
    }
    await nextTurn();
  }
}

process.on('message', (message: { type: string; round?: number; token?: string }) => {
  if (message.type === 'watch') void watch(message.round as number, message.token as string);
  if (message.type === 'stop') void verifier.close().then(() => process.exit(0));
});
send({ type: 'ready' });
