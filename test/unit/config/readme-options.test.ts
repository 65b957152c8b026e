// README documents every configuration option: this walks the schema and fails when an option
// is added without a README row (or a README row names an option that no longer exists).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../../../src/config/schema.ts';

function optionPaths(schema: z.ZodType, prefix: string): string[] {
  if (schema instanceof z.ZodObject) {
    return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, inner]) => optionPaths(inner, prefix ? `${prefix}.${key}` : key));
  }
  if (schema instanceof z.ZodArray) {
    const element = schema.element as z.ZodType;
    const fields = element instanceof z.ZodObject ? optionPaths(element, `${prefix}[]`) : [];
    if (!(element instanceof z.ZodObject)) return [prefix];
    return fields.length > 0 && prefix !== 'clients' ? fields : [`${prefix}[]`];
  }
  // Optional and nullable leaves (redis.sentinel, keys.jwksFile, ...) are documented as a whole.
  return [prefix];
}

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const table = readme.slice(readme.indexOf('| Option | Default | Meaning |'));
const optionsTable = table.slice(0, table.indexOf('\n\n'));
const documented = new Set([...optionsTable.matchAll(/^\| `([a-zA-Z.[\]]+)` \|/gm)].map((m) => m[1] as string));

describe('README configuration table', () => {
  const paths = optionPaths(configSchema, '');

  it('documents every option of the schema', () => {
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((path) => !documented.has(path))).toEqual([]);
  });

  it('documents no option the schema does not have', () => {
    const known = new Set(paths);
    const extra = [...documented].filter((row) => !known.has(row) && !row.startsWith('clients[].'));
    expect(extra).toEqual([]);
  });
});
