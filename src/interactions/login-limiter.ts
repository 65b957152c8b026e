// Login throttling, shared by every instance through the store: failed attempts are counted per
// account and per client IP; a success clears the account's count.
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config/schema.ts';
import type { RedisClient } from '../store/connect.ts';
import type { Keys } from '../store/keys.ts';

export interface LoginLimiter {
  /** Seconds to wait before another attempt is allowed, or 0. */
  retryAfter(username: string, ip: string): Promise<number>;
  recordFailure(username: string, ip: string): Promise<void>;
  recordSuccess(username: string): Promise<void>;
}

export function createLoginLimiter(config: Readonly<Config>, redis: RedisClient, keys: Keys): LoginLimiter {
  const { perAccount, perIp } = config.loginRateLimit;
  const byAccount = new RateLimiterRedis({ storeClient: redis, keyPrefix: keys.rateLimit('login-account'), points: perAccount.points, duration: perAccount.durationSeconds });
  const byIp = new RateLimiterRedis({ storeClient: redis, keyPrefix: keys.rateLimit('login-ip'), points: perIp.points, duration: perIp.durationSeconds });
  const accountKey = (username: string) => username.trim().toLowerCase();

  const secondsLeft = (state: RateLimiterRes | null, points: number) =>
    state && state.consumedPoints >= points ? Math.max(1, Math.ceil(state.msBeforeNext / 1000)) : 0;

  return {
    async retryAfter(username, ip) {
      const [account, address] = await Promise.all([byAccount.get(accountKey(username)), byIp.get(ip)]);
      return Math.max(secondsLeft(account, perAccount.points), secondsLeft(address, perIp.points));
    },
    async recordFailure(username, ip) {
      // Penalties past the limit reject; the rejection itself is the signal, not an error.
      await Promise.allSettled([byAccount.penalty(accountKey(username), 1), byIp.penalty(ip, 1)]);
    },
    async recordSuccess(username) {
      await byAccount.delete(accountKey(username));
    },
  };
}
