// "The store cannot be reached", whether already typed by the store or raw from ioredis: callers
// answer 503 (try again) instead of 500, and never mistake a logic bug for an outage.
import { isConnectionFailure, StoreUnavailableError } from './errors.ts';

export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreUnavailableError || isConnectionFailure(error);
}
