import { connect, createServer, type Server, type Socket } from 'node:net';

export interface LaterProxy {
  /** The free port it will listen on: nothing answers there until `open`. */
  port: number;
  open(): Promise<void>;
  close(): void;
}

/**
 * A free port, then a TCP forwarder there to `target` once asked: a server (Postgres, NATS)
 * appearing where a process looks for it, as after a restart.
 */
export async function laterProxy(target: URL): Promise<LaterProxy> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  let server: Server | undefined;
  const sockets: Socket[] = [];
  return {
    port,
    open: () => new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        sockets.push(client, upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', resolve);
    }),
    close: () => { for (const socket of sockets) socket.destroy(); server?.close(); },
  };
}
