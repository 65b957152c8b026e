// portcullis/verifier is installed alone by microservices: jose, ioredis and node builtins only.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../src/verifier/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('src/verifier imports', () => {
  it('reach only jose, ioredis, node builtins, itself and src/store/keys.ts', () => {
    const outside: string[] = [];
    let checked = 0;
    for (const file of sources(root)) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gm)) {
        checked += 1;
        if (specifier === 'jose' || specifier === 'ioredis' || specifier!.startsWith('node:')) continue;
        if (specifier!.startsWith('.')) {
          const target = fileURLToPath(new URL(specifier!, `file://${file}`));
          if (target.startsWith(root) || target.endsWith('/src/store/keys.ts')) continue;
        }
        outside.push(`${file}: ${specifier}`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(outside).toEqual([]);
  });
});
