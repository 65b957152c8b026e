// Operator commands: `npm run cli -- accounts add|list|remove|set-password|disable|enable ...`
// and `npm run cli -- keys generate`. Accounts live in Redis, so they need REDIS_URL.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { AccountError, AccountStore } from './accounts/store.ts';
import { AuditLog } from './admin/audit-log.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import { generateSigningKey } from './provider/keys.ts';
import { changePassword, disableAccount } from './revocation/account-events.ts';
import { Revoker } from './revocation/revoker.ts';
import { connectRedis } from './store/connect.ts';
import { createKeys } from './store/keys.ts';

const USAGE = `usage:
  npm run cli -- accounts add <username> [--password-stdin] [--email E] [--name N] [--admin]
  npm run cli -- accounts list
  npm run cli -- accounts remove <username>
  npm run cli -- accounts set-password <username> [--password-stdin]
  npm run cli -- accounts disable|enable <username>
  npm run cli -- keys generate [--alg ES256|RS256|EdDSA]     (prints a private JWKS for SIGNING_KEYS_FILE)`;

class UsageError extends Error {}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    if (!fromStdin) throw new UsageError('no terminal to ask for a password: pass --password-stdin and pipe it in');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  // Interactive: read without echoing the password back to the terminal.
  process.stdout.write('Password: ');
  const rl = createInterface({ input: process.stdin, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void };
  output._writeToOutput = () => undefined;
  const password = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return password;
}

/** Who runs the CLI, for the audit log; a container user may have no passwd entry. */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

async function accounts(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'password-stdin': { type: 'boolean' }, email: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean' } },
  });
  const [command, username] = positionals;
  const config = loadConfig();
  if (!config.redis.url && !config.redis.cluster && !config.redis.sentinel) {
    throw new UsageError('accounts live in Redis: set REDIS_URL (the in-memory development store exists only inside a running server)');
  }
  const redis = connectRedis(config.redis);
  const storeKeys = createKeys(config.redis.keyPrefix);
  const store = new AccountStore(redis, storeKeys);
  // A new password or a disabled account signs the subject out everywhere (grants, sessions,
  // denylisted access tokens), audited with the operator's login as actor.
  const revoker = new Revoker({ redis, keys: storeKeys, config, audit: new AuditLog(redis, storeKeys) });
  const operator = { kind: 'operator', id: operatorName() } as const;
  try {
    const need = () => {
      if (!username) throw new UsageError(`accounts ${command} needs a username`);
      return username;
    };
    switch (command) {
      case 'add': {
        const name = need();
        const account = await store.create({ username: name, password: await readPassword(values['password-stdin'] ?? false), email: values.email, name: values.name, admin: values.admin });
        console.log(`created ${account.username} (${account.id})${account.admin ? ' [admin]' : ''}`);
        break;
      }
      case 'list':
        for (const a of await store.list()) {
          console.log([a.username, a.id, a.email ?? '-', a.disabled ? 'disabled' : 'active', a.admin ? 'admin' : ''].join('\t').trimEnd());
        }
        break;
      case 'remove':
        console.log(`removed ${(await store.remove(need())).username}`);
        break;
      case 'set-password': {
        const name = need();
        const { revocation } = await changePassword(store, revoker, name, await readPassword(values['password-stdin'] ?? false), operator, { source: 'cli' });
        console.log(`password changed for ${name}; signed out everywhere (${revocation.grantIds.length} grants, ${revocation.sessionsEnded} sessions)`);
        break;
      }
      case 'disable': {
        const { revocation } = await disableAccount(store, revoker, need(), operator, undefined, { source: 'cli' });
        console.log(`disabled ${username}; signed out everywhere (${revocation.grantIds.length} grants, ${revocation.sessionsEnded} sessions)`);
        break;
      }
      case 'enable':
        await store.setDisabled(need(), false);
        console.log(`enabled ${username}`);
        break;
      default:
        throw new UsageError(`unknown accounts command: ${command ?? '(none)'}`);
    }
  } finally {
    await redis.quit();
  }
}

async function keys(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { alg: { type: 'string', default: 'ES256' } } });
  if (positionals[0] !== 'generate') throw new UsageError('unknown keys command');
  const alg = values.alg;
  if (alg !== 'ES256' && alg !== 'RS256' && alg !== 'EdDSA') throw new UsageError('--alg must be ES256, RS256 or EdDSA');
  console.log(JSON.stringify({ keys: [await generateSigningKey(alg)] }, null, 2));
}

async function main(argv: string[]): Promise<void> {
  const [group, ...rest] = argv;
  if (group === 'accounts') return accounts(rest);
  if (group === 'keys') return keys(rest);
  throw new UsageError(group ? `unknown command: ${group}` : 'no command given');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(64);
  }
  if (error instanceof AccountError || error instanceof ConfigError) {
    console.error(`${error.code}: ${error.message}`);
    process.exit(1);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
