// Starts a node:http server on loopback and resolves once it listens; a busy port is a clear error.
import { createServer, type RequestListener, type Server } from 'node:http';

export class PortInUseError extends Error {
  readonly code = 'ERR_PORT_IN_USE';
  readonly port: number;
  constructor(port: number) {
    super(`port ${port} is already in use`);
    this.name = 'PortInUseError';
    this.port = port;
  }
}

/** Loopback only: this is a demo, not something to expose on the network. */
export function listen(handler: RequestListener, port: number): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
