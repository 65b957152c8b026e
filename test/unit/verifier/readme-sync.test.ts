// README's error table and VERIFIER_ERROR_CODES must say the same thing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERIFIER_ERROR_CODES } from '../../../src/verifier/errors.ts';

describe('src/verifier/README.md error table', () => {
  it('lists exactly the catalogue, in order, with the same status, error and meaning', () => {
    const readme = readFileSync(new URL('../../../src/verifier/README.md', import.meta.url), 'utf8');
    const table = /<!-- error-codes:start -->\n([\s\S]*?)<!-- error-codes:end -->/.exec(readme)?.[1] ?? '';
    const rows = table
      .trim()
      .split('\n')
      .slice(2)
      .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
    const expected = Object.entries(VERIFIER_ERROR_CODES).map(([code, entry]) => [
      `\`${code}\``,
      String(entry.status),
      entry.oauthError ? `\`${entry.oauthError}\`` : '—',
      entry.meaning,
    ]);
    expect(rows).toEqual(expected);
  });
});
