// loadConfig: defaults ← PORTCULLIS_CONFIG file ← environment ← overrides, validated once;
// every bad value is reported with its dotted path, all of them in one ConfigError.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, deepMerge, loadConfig } from '../../../src/config/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'portcullis-config-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The problems a failing load reports (fails the test if it loads). */
function problems(options: Parameters<typeof loadConfig>[0]): string[] {
  try {
    loadConfig(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('ERR_CONFIG_INVALID');
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const CONFIDENTIAL = { client_id: 'app', client_secret: 's'.repeat(32), redirect_uris: ['https://app.example.test/cb'] };

describe('loadConfig', () => {
  it('loads the defaults, frozen all the way down', () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({ env: 'development', issuer: 'http://localhost:3000', port: 3000, keys: { algorithm: 'ES256' } });
    expect(config.ttl.accessTokenSeconds).toBe(300);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.ttl)).toBe(true);
    expect(Object.isFrozen(config.resources[0])).toBe(true);
    expect(() => {
      (config.ttl as { accessTokenSeconds: number }).accessTokenSeconds = 1;
    }).toThrow(TypeError);
  });

  it('applies file, environment and overrides in that order', () => {
    const path = file('order.json', JSON.stringify({ port: 4000, logLevel: 'debug', issuer: 'https://file.example.test' }));
    const config = loadConfig({ env: { PORTCULLIS_CONFIG: path, PORT: '5000', ISSUER: 'https://env.example.test' }, overrides: { issuer: 'https://override.example.test' } });
    expect(config.logLevel).toBe('debug');
    expect(config.port).toBe(5000);
    expect(config.issuer).toBe('https://override.example.test');
  });

  it('maps the documented environment variables', () => {
    const config = loadConfig({
      env: {
        NODE_ENV: 'production',
        REDIS_URL: 'rediss://cache.example.test:6380',
        SIGNING_KEYS_FILE: '/run/secrets/jwks.json',
        COOKIE_KEYS: ` ${'a'.repeat(32)} ,${'b'.repeat(32)},`,
        LOG_LEVEL: 'warn',
      },
    });
    expect(config).toMatchObject({ env: 'production', redis: { url: 'rediss://cache.example.test:6380' }, keys: { jwksFile: '/run/secrets/jwks.json' }, logLevel: 'warn' });
    expect(config.cookies.keys).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
  });

  it('reads cookie keys from COOKIE_KEYS_FILE, one per line', () => {
    const path = file('cookie-keys', `${'c'.repeat(32)}\n\n${'d'.repeat(32)}\n`);
    expect(loadConfig({ env: { COOKIE_KEYS_FILE: path } }).cookies.keys).toEqual(['c'.repeat(32), 'd'.repeat(32)]);
  });

  it('names the dotted path of every bad value at once', () => {
    const reported = problems({
      env: {},
      overrides: {
        port: 70_000,
        logLevel: 'loud',
        redis: { url: 'http://cache', keyPrefix: 'has space' },
        keys: { algorithm: 'HS256' },
        ttl: { accessTokenSeconds: 0 },
        loginRateLimit: { perIp: { points: 0 } },
      },
    });
    const paths = reported.map((problem) => problem.slice(0, problem.indexOf(':')));
    expect(paths.sort()).toEqual(['keys.algorithm', 'logLevel', 'loginRateLimit.perIp.points', 'port', 'redis.keyPrefix', 'redis.url', 'ttl.accessTokenSeconds'].sort());
    expect(reported).toContain('redis.url: must start with redis:// or rediss://');
  });

  it('names array elements by index inside clients and resources', () => {
    const reported = problems({
      env: {},
      overrides: {
        clients: [CONFIDENTIAL, { client_id: 'spa', token_endpoint_auth_method: 'none', client_secret: 's'.repeat(32), redirect_uris: ['not a url'] }, { ...CONFIDENTIAL, client_secret: 'short' }],
        resources: [{ identifier: 'https://api.example.test', scopes: { 'bad scope': 'x' } }],
      },
    });
    expect(reported).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^clients\.1\.client_secret: public clients/),
        expect.stringMatching(/^clients\.1\.redirect_uris\.0: /),
        expect.stringMatching(/^clients\.2\.client_secret: /),
        expect.stringMatching(/^resources\.0\.scopes\.bad scope: /),
      ]),
    );
  });

  it('names a duplicate client_id by the index of the second client', () => {
    expect(problems({ env: {}, overrides: { clients: [CONFIDENTIAL, { ...CONFIDENTIAL, client_name: 'again' }] } })).toEqual(['clients.1.client_id: duplicate client_id']);
  });

  it.each([
    ['a confidential client without secret', { client_id: 'c', redirect_uris: ['https://c.example.test/cb'] }, 'clients.0.client_secret: required for confidential clients'],
    ['a public client with client_credentials', { client_id: 'c', token_endpoint_auth_method: 'none', grant_types: ['client_credentials'] }, 'clients.0.grant_types: client_credentials needs a confidential client'],
    ['authorization_code without redirect_uris', { client_id: 'c', client_secret: 's'.repeat(32) }, 'clients.0.redirect_uris: required for authorization_code'],
    ['an unknown client field', { ...CONFIDENTIAL, client_id: 'c', colour: 'blue' }, 'clients.0: Unrecognized key: "colour"'],
  ])('rejects %s', (_case, client, message) => {
    expect(problems({ env: {}, overrides: { clients: [client] } })).toContain(message);
  });

  it('rejects unknown options instead of ignoring a typo', () => {
    const reported = problems({ env: {}, overrides: { ttl: { accesTokenSeconds: 10 }, colour: 'blue' } });
    expect(reported).toEqual(expect.arrayContaining([expect.stringMatching(/^ttl: .*accesTokenSeconds/), expect.stringMatching(/^\(root\): .*colour/)]));
  });

  it('refuses development defaults in production', () => {
    expect(problems({ env: { PORTCULLIS_ENV: 'production' } }).sort()).toEqual(['cookies.keys: required in production', 'keys.jwksFile: required in production', 'redis: production needs Redis (url, sentinel or cluster)']);
  });

  it('lists cross-field problems together with field errors in one report', () => {
    const reported = problems({
      env: { PORTCULLIS_ENV: 'production', PORT: 'eighty' },
      overrides: { clients: [CONFIDENTIAL, { ...CONFIDENTIAL, client_name: 'again' }] },
    });
    expect(reported.sort()).toEqual([
      'clients.1.client_id: duplicate client_id',
      'cookies.keys: required in production',
      'keys.jwksFile: required in production',
      expect.stringMatching(/^port: /),
      'redis: production needs Redis (url, sentinel or cluster)',
    ]);
  });

  it('reports a non-numeric PORT by its path', () => {
    expect(problems({ env: { PORT: 'eighty' } })).toEqual([expect.stringMatching(/^port: /)]);
  });

  it('reports an unreadable or invalid PORTCULLIS_CONFIG file', () => {
    expect(problems({ env: { PORTCULLIS_CONFIG: join(dir, 'missing.json') } })).toEqual([expect.stringMatching(/^PORTCULLIS_CONFIG: cannot read .*missing\.json \(ENOENT\)$/)]);
    expect(problems({ env: { PORTCULLIS_CONFIG: file('broken.json', '{ nope') } })[0]).toMatch(/^PORTCULLIS_CONFIG: .*broken\.json is not a JSON object/);
    expect(problems({ env: { PORTCULLIS_CONFIG: file('array.json', '[1, 2]') } })[0]).toMatch(/is not a JSON object \(not an object\)$/);
  });

  it('puts every problem into the message, one per line', () => {
    try {
      loadConfig({ env: {}, overrides: { port: -1, issuer: 'nope' } });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^invalid configuration:\n {2}- (issuer|port): .*\n {2}- (issuer|port): /);
    }
  });
});

describe('deepMerge', () => {
  it('merges objects key by key and lets arrays and scalars replace', () => {
    const merged = deepMerge({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3] }, d: { e: 1 } });
    expect(merged).toEqual({ a: { b: 1, c: [3] }, d: { e: 1 } });
  });

  it('does not modify its inputs', () => {
    const base = { a: { b: 1 } };
    deepMerge(base, { a: { b: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });
});
