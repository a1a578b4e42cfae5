import { connect, createServer } from 'node:net';

/** Asks the kernel for an unused loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether something accepts TCP connections on this loopback port. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

/** Refuses to start a server on a port something else answers on: it would be taken for ours. */
export async function ensurePortFree(port: number, what: string, setting: string): Promise<void> {
  if (await acceptsConnections(port)) throw new Error(`port ${port} is in use: ${what} cannot listen there (another instance still running? choose another with ${setting})`);
}
