// What both microservices need to know, and what they hand back.
import type { Server } from 'node:http';
import type { Verifier } from '../../../src/verifier/index.ts';

export interface ServiceOptions {
  port: number;
  /** Portcullis' issuer URL; the verifier fetches `${issuer}/jwks` from it. */
  issuer: string;
  /** Portcullis' Redis: the denylist stream lives there. */
  redisUrl: string;
  /** Portcullis' key prefix (redis.keyPrefix). */
  keyPrefix: string;
  /** The only browser origin allowed to call the service. */
  shellOrigin: string;
}

export interface RunningService {
  server: Server;
  verifier: Verifier;
  close(): Promise<void>;
}
