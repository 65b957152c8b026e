// Registers Lua scripts on a client as typed methods (defineCommand: EVALSHA with EVAL fallback,
// routed by the first key on a Cluster). Shared by the adapter's and the refresh families' scripts.
import type { RedisClient } from '../connect.ts';

export type ScriptTable<Commands> = Record<keyof Commands, { numberOfKeys: number; lua: string }>;

/** Defines each script once per client (idempotent by name) and returns the client typed with them. */
export function defineScripts<Commands>(redis: RedisClient, scripts: ScriptTable<Commands>): RedisClient & Commands {
  for (const [name, definition] of Object.entries(scripts) as [string, { numberOfKeys: number; lua: string }][]) {
    if (!(name in redis)) redis.defineCommand(name, definition);
  }
  // defineCommand adds the methods at run time; `Commands` is their declared shape.
  return redis as RedisClient & Commands;
}

/** Number of KEYS each script takes (tests use it to check every script stays in one slot). */
export function scriptKeyCounts<Commands>(scripts: ScriptTable<Commands>): Readonly<Record<string, number>> {
  return Object.fromEntries(Object.entries(scripts as Record<string, { numberOfKeys: number }>).map(([name, { numberOfKeys }]) => [name, numberOfKeys]));
}
