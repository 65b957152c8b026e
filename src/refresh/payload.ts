// What a family keeps of a refresh token's payload. The value itself (`jti`) is never stored;
// the fields its key or its own hash fields already hold are left out to keep families small.
import type { AdapterPayload } from 'oidc-provider';

// jti: the live token. grantId: in the key. clientId, exp, rotations: hash fields c, e, g.
const KEPT_ELSEWHERE = new Set(['jti', 'kind', 'grantId', 'clientId', 'exp', 'rotations', 'consumed']);

export function storedPayload(payload: AdapterPayload): string {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (!KEPT_ELSEWHERE.has(name) && value !== undefined) kept[name] = value;
  }
  return JSON.stringify(kept);
}

export interface PayloadContext {
  value: string;
  grantId: string;
  clientId: string;
  generation: number;
  expiresAt: number;
}

export function restorePayload(stored: string, context: PayloadContext): AdapterPayload {
  return {
    ...(JSON.parse(stored) as AdapterPayload),
    jti: context.value,
    kind: 'RefreshToken',
    grantId: context.grantId,
    clientId: context.clientId,
    exp: context.expiresAt,
    rotations: context.generation,
  };
}
