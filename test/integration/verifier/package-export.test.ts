// What a microservice gets: `import ... from 'portcullis/verifier'` resolves through package.json
// `exports` to the compiled library, in a separate Node process, with only jose and ioredis.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url);

describe('the published entry point', () => {
  it('builds and exports the verifier API under portcullis/verifier', { timeout: 120_000 }, async () => {
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root });
    const script = "const m = await import('portcullis/verifier'); console.log(JSON.stringify(Object.keys(m).sort()));";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(JSON.parse(stdout)).toEqual(['ClaimInvalidError', 'InsufficientScopeError', 'VERIFIER_ERROR_CODES', 'VerifierError', 'createVerifier', 'expressMiddleware', 'koaMiddleware', 'requireScopes']);
  });
});
