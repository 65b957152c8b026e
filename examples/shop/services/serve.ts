// What both microservices hand back once their routes are set up: the listening server and its
// verifier, and a close that stops taking requests before it stops the verifier they rely on.
import type { RequestListener } from 'node:http';
import type { Verifier } from '../../../src/verifier/index.ts';
import { closeServer, listen } from '../listen.ts';
import type { RunningService } from './options.ts';

export async function serve(handler: RequestListener, port: number, verifier: Verifier): Promise<RunningService> {
  const server = await listen(handler, port);
  return {
    server,
    verifier,
    close: async () => {
      await closeServer(server);
      await verifier.close();
    },
  };
}
