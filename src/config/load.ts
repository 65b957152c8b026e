// Loads configuration: defaults (config/default.json) ← override file (PORTCULLIS_CONFIG) ← env.
// The result is validated once and frozen; an invalid value stops start-up with its dotted path.
import { readFileSync } from 'node:fs';
import { configSchema, type Config } from './schema.ts';

const DEFAULTS_URL = new URL('../../config/default.json', import.meta.url);

export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG_INVALID';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars from `override` replace the base value. */
export function deepMerge(base: Json, override: Json): Json {
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

function readJson(path: string | URL, what: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${what}: cannot read ${String(path)} (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isPlainObject(parsed)) throw new Error('not an object');
    return parsed;
  } catch (error) {
    throw new ConfigError([`${what}: ${String(path)} is not a JSON object (${(error as Error).message})`]);
  }
}

/** The environment variables Portcullis reads, mapped onto the configuration tree. */
function fromEnvironment(env: NodeJS.ProcessEnv): Json {
  const overrides: Json = {};
  const set = (path: string[], value: unknown) => {
    let node = overrides;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Json;
    node[path.at(-1) as string] = value;
  };
  if (env.PORTCULLIS_ENV) set(['env'], env.PORTCULLIS_ENV);
  else if (env.NODE_ENV === 'production') set(['env'], 'production');
  if (env.PORT) set(['port'], /^\d+$/.test(env.PORT) ? Number(env.PORT) : env.PORT);
  if (env.ISSUER) set(['issuer'], env.ISSUER);
  if (env.LOG_LEVEL) set(['logLevel'], env.LOG_LEVEL);
  if (env.METRICS_PORT) set(['metrics', 'port'], /^\d+$/.test(env.METRICS_PORT) ? Number(env.METRICS_PORT) : env.METRICS_PORT);
  if (env.REDIS_URL) set(['redis', 'url'], env.REDIS_URL);
  if (env.SIGNING_KEYS_FILE) set(['keys', 'jwksFile'], env.SIGNING_KEYS_FILE);
  if (env.COOKIE_KEYS) set(['cookies', 'keys'], env.COOKIE_KEYS.split(',').map((k) => k.trim()).filter(Boolean));
  if (env.COOKIE_KEYS_FILE) {
    set(['cookies', 'keys'], readFileSync(env.COOKIE_KEYS_FILE, 'utf8').split('\n').map((k) => k.trim()).filter(Boolean));
  }
  return overrides;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Applied last; tests use it instead of files. */
  overrides?: Json;
}

export function loadConfig({ env = process.env, overrides = {} }: LoadOptions = {}): Readonly<Config> {
  let merged = readJson(DEFAULTS_URL, 'defaults');
  if (env.PORTCULLIS_CONFIG) merged = deepMerge(merged, readJson(env.PORTCULLIS_CONFIG, 'PORTCULLIS_CONFIG'));
  merged = deepMerge(merged, fromEnvironment(env));
  merged = deepMerge(merged, overrides);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return deepFreeze(result.data);
}
