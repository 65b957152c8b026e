// Bench dispatcher: `npm run bench -- NAME` runs bench/NAME.ts; `npm run bench` lists them.
// Each bench runs in its own process with --expose-gc so memory figures can settle the heap first.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -3))
  .sort();
const [name, ...args] = process.argv.slice(2);

if (!name) {
  console.log(`usage: npm run bench -- NAME\navailable: ${available.join(', ')}`);
  process.exit(0);
}
if (!available.includes(name)) {
  console.error(`unknown bench "${name}"; available: ${available.join(', ')}`);
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', '--expose-gc', `${dir}${name}.ts`, ...args],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
