import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { eventually } from '@slipway/testing';
import { whenAnswerClosed } from './answer-closed';

/** A server whose handler waits for `proceed` before it asks to hear of its answer's close, as a handler waits for a token's check. */
async function serverWaiting() {
  let proceed!: () => void;
  const waiting = new Promise<void>((resolve) => { proceed = resolve; });
  const seen: { res?: ServerResponse; closed: number } = { closed: 0 };
  const server = createServer((_req, res) => {
    seen.res = res;
    void waiting.then(() => whenAnswerClosed(res, () => { seen.closed++; }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, proceed, seen };
}

describe('whenAnswerClosed', () => {
  it('calls back at once for a client that left while the handler waited (probe: its page of the audit log stayed held for good)', async () => {
    const { server, port, proceed, seen } = await serverWaiting();
    try {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      socket.on('error', () => undefined);
      await eventually(() => expect(seen.res).toBeDefined());
      socket.resetAndDestroy();
      await eventually(() => expect(seen.res!.destroyed).toBe(true));
      proceed();
      await eventually(() => expect(seen.closed).toBe(1));
    } finally {
      server.close();
    }
  });

  it('calls back once the answer is sent to a client still there, not before', async () => {
    const { server, port, proceed, seen } = await serverWaiting();
    try {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      await eventually(() => expect(seen.res).toBeDefined());
      proceed();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen.closed).toBe(0);
      seen.res!.end('done');
      await eventually(() => expect(seen.closed).toBe(1));
      socket.destroy();
    } finally {
      server.close();
    }
  });
});
