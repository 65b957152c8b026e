// Wraps a client so a test can see every command a module sends (including custom Lua commands),
// e.g. to prove that no call spans two cluster slots.

export interface RecordedCall {
  readonly name: string;
  readonly args: readonly unknown[];
}

export function recordCalls<T extends object>(client: T): { client: T; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const proxy = new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push({ name: property, args });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client: proxy, calls };
}
