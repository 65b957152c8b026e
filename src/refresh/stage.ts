// The refresh in flight. oidc-provider's refresh grant reads, consumes and saves refresh tokens
// through the adapter; while our handler runs it, those calls land here instead of in Redis, and
// the handler writes the outcome in one compare-and-swap at the end (family-store commitRotation).
// So a request that fails half-way changes nothing, and the family is read only once.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AdapterPayload } from 'oidc-provider';
import type { FamilyId } from './family-store.ts';

export interface StagedToken {
  value: string;
  payload: AdapterPayload;
  expiresInSeconds: number;
}

export interface Stage extends FamilyId {
  /** `rotate`: the grant may save a successor. `reuse`: it must keep the presented token. */
  mode: 'rotate' | 'reuse';
  /** The token the grant handler will look up, and its payload as the family holds it. */
  presented: StagedToken;
  /** Generation of the presented token. */
  generation: number;
  consumed: boolean;
  successor?: StagedToken;
}

const stages = new AsyncLocalStorage<Stage>();

export function runStaged<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
  return stages.run(stage, work);
}

export function currentStage(): Stage | undefined {
  return stages.getStore();
}
