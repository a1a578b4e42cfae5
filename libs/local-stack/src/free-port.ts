import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

/**
 * An unused loopback port for a server we start a moment later. Picked below the kernel's
 * ephemeral range where it has room: a port bound to 0 comes from that range, which is
 * also where outgoing connections take their source ports, and Postgres binds its port
 * only after initdb (seconds) — long enough for a connection to take it meanwhile (seen
 * with the control plane's ports, tools/kube-testenv/lib.sh kte_free_ports).
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow();
  if (high - LOWEST > 1000) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = LOWEST + Math.floor(Math.random() * (high - LOWEST));
      if (await bindable(port)) return port;
    }
  }
  return bindable(0) as Promise<number>;
}

const LOWEST = 10_000;

function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768; // not Linux: the range's usual start
  }
}

/** Binds the port (0: any) and lets it go; the port bound, or false when it is taken. */
function bindable(port: number): Promise<number | false> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', (error: NodeJS.ErrnoException) => (port !== 0 && (error.code === 'EADDRINUSE' || error.code === 'EACCES') ? resolve(false) : reject(error)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether something accepts TCP connections on this port of `host` (loopback unless said). */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host, () => { socket.end(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Refuses to start a server on a port something else holds: it would be taken for ours.
 * Both asked: a listener answers a connection, and a bind to `host` fails where another
 * holds the port on any of the machine's addresses (a connection to the loopback finds
 * nobody listening only on another address, or on IPv6).
 */
export async function ensurePortFree(port: number, what: string, setting: string, host = '127.0.0.1'): Promise<void> {
  const inUse = () => new Error(`port ${port} is in use: ${what} cannot listen there (another instance still running? choose another with ${setting})`);
  if (await acceptsConnections(port, host)) throw inUse();
  const bound = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.unref();
    server.on('error', resolve);
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
  if (bound?.code === 'EADDRINUSE') throw inUse();
  if (bound) throw new Error(`${what} cannot listen on ${host} port ${port} (${bound.code ?? bound.message}): is ${host} an address of this machine?`);
}
