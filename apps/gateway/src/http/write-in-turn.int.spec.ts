import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@slipway/testing';
import { writeInTurn } from './write-in-turn';

/** Aborted when the request's client leaves, as the event stream's is. */
function leftSignal(req: IncomingMessage): AbortSignal {
  const left = new AbortController();
  req.on('close', () => left.abort());
  return left.signal;
}

const CHUNK = 'x'.repeat(64 * 1024);
const CHUNKS = 1_000; // 64 MiB: far more than loopback socket buffers hold

/** A real HTTP server and client on loopback: the client stops reading, then reads the rest. */
describe('writeInTurn to a client that stops reading for good', () => {
  it('cuts it off once it has read nothing for the stall bound, and goes on no more', async () => {
    let outcome!: Promise<{ writes: number; destroyed: boolean }>;
    const server = createServer((req, res) => {
      const gone = leftSignal(req);
      outcome = (async () => {
        let writes = 0;
        while (!res.destroyed && writes < CHUNKS) {
          await writeInTurn(res, CHUNK, gone, 500);
          writes++;
        }
        return { writes, destroyed: res.destroyed };
      })();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await new Promise<IncomingMessage>((resolve) => get({ host: '127.0.0.1', port, path: '/' }, resolve));
      response.pause();
      // (cut off, it reports "aborted" once it reads)
      response.on('error', () => undefined);
      const { writes, destroyed } = await outcome;
      expect(destroyed).toBe(true);
      expect(writes).toBeLessThan(CHUNKS / 2);
      // reading again, the client finds its response cut short
      const closed = new Promise((resolve) => response.on('close', resolve));
      response.resume();
      await closed;
      expect(response.complete).toBe(false);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('writeInTurn to a client that reads slowly', () => {
  it('does not cut it off while it goes on taking, however long the write takes it', async () => {
    // A stall bound of 8 s. Reader and writer share this process's event loop: held up past the
    // bound (a loaded machine: 1.5 s and then 3 s were not enough in CI), its timers fire before
    // the I/O that would have drained the write, and the bound cuts off a client that did read.
    // The reader's pauses (100 ms a chunk of at most 64 KiB) still make the whole take longer
    // than the bound (13 s at least, 26 s on a loaded machine), which is what the test is about:
    // the bound is per slice. Its own timeout leaves room for a machine slower still.
    const STALL_BOUND_MS = 8_000;
    const BIG = 'y'.repeat(8 * 1024 * 1024);
    let outcome!: Promise<{ destroyed: boolean }>;
    const server = createServer((req, res) => {
      const gone = leftSignal(req);
      outcome = (async () => {
        await writeInTurn(res, BIG, gone, STALL_BOUND_MS);
        res.end();
        return { destroyed: res.destroyed };
      })();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await new Promise<IncomingMessage>((resolve) => get({ host: '127.0.0.1', port, path: '/' }, resolve));
      // a reader taking a little every 100 ms: the whole takes longer than the stall bound
      response.on('error', () => undefined);
      let received = 0;
      const started = Date.now();
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        response.pause();
        setTimeout(() => response.resume(), 100);
      });
      await once(response, 'end');
      expect(received).toBe(BIG.length);
      expect(Date.now() - started).toBeGreaterThan(STALL_BOUND_MS);
      expect(await outcome).toEqual({ destroyed: false });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 180_000);
});

describe('writeInTurn', () => {
  let server: Server;
  let written = 0;
  let finished: Promise<void>;

  beforeAll(async () => {
    let done!: () => void;
    finished = new Promise((resolve) => (done = resolve));
    server = createServer(async (req, res) => {
      const gone = leftSignal(req);
      for (let i = 0; i < CHUNKS; i++) {
        await writeInTurn(res, CHUNK, gone);
        written++;
      }
      res.end();
      done();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('given a client that stops reading, then the writer waits for it, and goes on when it reads again', async () => {
    const { port } = server.address() as AddressInfo;
    const response = await new Promise<IncomingMessage>((resolve) => get({ host: '127.0.0.1', port, path: '/' }, resolve));
    response.pause();

    // while the client reads nothing, what has been written stops growing (still over 300 ms,
    // once the socket buffers are full), well short of the whole
    await eventually(async () => {
      const before = written;
      await sleep(300);
      expect(written).toBe(before);
    }, 30_000, 0);
    expect(written).toBeLessThan(CHUNKS / 2);

    // once it reads, everything arrives
    let received = 0;
    response.on('data', (chunk: Buffer) => (received += chunk.length));
    response.resume();
    await finished;
    await eventually(async () => expect(received).toBe(CHUNKS * CHUNK.length));
  });
});
