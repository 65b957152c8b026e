// The in-memory denylist at 1,000,000 entries: heap it costs, and lookup time against a small index
// (O(1) means the two stay close).
import { randomUUID } from 'node:crypto';
import { DenylistMemoryIndex } from '../src/verifier/denylist/memory-index.ts';
import { format, settledHeapBytes } from './lib/measure.ts';

const now = Math.floor(Date.now() / 1000);

function build(size: number): { index: DenylistMemoryIndex; ids: string[] } {
  const index = new DenylistMemoryIndex();
  const ids: string[] = [];
  for (let i = 0; i < size; i += 1) {
    // Flat strings, as ioredis hands them over; randomUUID() returns a cons-string that would
    // inflate the figure with its parts.
    const id = Buffer.from(randomUUID()).toString();
    ids.push(id);
    // Realistic mix: mostly single tokens, some grants, a few subjects.
    if (i % 10 === 0) index.add({ kind: 'sub', value: id, before: now - 60, expiresAt: now + 3600 });
    else if (i % 3 === 0) index.add({ kind: 'grant', value: id, expiresAt: now + 3600 });
    else index.add({ kind: 'jti', value: id, expiresAt: now + 3600 });
  }
  return { index, ids };
}

function nsPerLookup(index: DenylistMemoryIndex, ids: string[]): number {
  const probes = 2_000_000;
  const misses = Array.from({ length: 1_000 }, () => randomUUID());
  let revoked = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < probes; i += 1) {
    // Half hits (jti of a listed id), half misses, as a valid-token workload would mostly miss.
    const jti = i % 2 === 0 ? (ids[(i * 7919) % ids.length] as string) : (misses[i % misses.length] as string);
    if (index.isRevoked({ jti, sub: jti, iat: now - 120, grantId: jti }, now)) revoked += 1;
  }
  const ns = Number(process.hrtime.bigint() - started) / probes;
  if (revoked === 0) throw new Error('no hit: the probe is wrong');
  return ns;
}

const small = build(1_000);
console.log(`1,000 entries:     ${nsPerLookup(small.index, small.ids).toFixed(0)} ns/lookup`);

const before = settledHeapBytes();
const ids1m = build(1_000_000);
const after = settledHeapBytes();
// The ids array (kept for probing) is counted separately: the strings are shared with the maps.
const arrayBytes = 8 * ids1m.ids.length;
console.log(`1,000,000 entries: ${nsPerLookup(ids1m.index, ids1m.ids).toFixed(0)} ns/lookup`);
console.log(
  `heap for 1,000,000 entries (36-char ids): ${format((after - before - arrayBytes) / 1024 / 1024)} MiB, ` +
    `${format((after - before - arrayBytes) / 1_000_000)} bytes/entry (size ${format(ids1m.index.size)})`,
);
