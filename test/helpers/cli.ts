// Runs the operator CLI (src/cli.ts) as an operator would: a child process on the suite's Redis
// with a config file of the test's own, and nothing else of the test runner's environment.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A config file path in a fresh temporary directory named after `name`; the test writes the file. */
export function cliConfigPath(name: string): string {
  return join(mkdtempSync(join(tmpdir(), `${name}-`)), 'config.json');
}

/** `cli(args, stdin, env)` with PATH, REDIS_URL and PORTCULLIS_CONFIG set; `env` overrides them. */
export function cliRunner(configFile: string): (args: string[], stdin?: string, env?: Record<string, string>) => Promise<CliResult> {
  return (args, stdin = '', env = {}) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['src/cli.ts', ...args], {
        env: { PATH: process.env.PATH ?? '', REDIS_URL: inject('redisUrl'), PORTCULLIS_CONFIG: configFile, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdin.end(stdin);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
}
