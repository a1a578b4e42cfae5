import { connect, type Socket } from 'node:net';
import { eventually } from '@slipway/testing';
import Fastify from 'fastify';
import { shedWhileClosing } from './shed-while-closing';

/**
 * A request the router reaches once the gateway has begun to close (its headers were still
 * arriving when the close began) is refused in its dialect's shape; Fastify itself would
 * answer a body of its own.
 */
describe('shedWhileClosing on a real Fastify server', () => {
  it('refuses what is routed while closing 503 in the dialect\'s shape with Retry-After, without running it, and closes the connection', async () => {
    const app = Fastify({ return503OnClosing: false });
    shedWhileClosing(app);
    let ran = false;
    app.get('/api/v1/control_plane/configs', async () => { ran = true; return { ran }; });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const accepted = new Promise<Socket>((resolve) => app.server.once('connection', resolve));
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const ended = new Promise<void>((resolve, reject) => socket.on('data', (chunk) => { text += chunk.toString(); }).on('error', reject).on('close', () => resolve()));
    // given a request whose headers are still arriving when the close begins (each step waited
    // for, not slept on: a close begun before the server read the first bytes would find an
    // idle connection, and a loaded machine can take more than the 100 ms slept before)
    socket.write('GET /api/v1/control_plane/configs HTTP/1.1\r\nHost: x\r\n');
    const served = await accepted;
    await eventually(() => expect(served.bytesRead).toBeGreaterThan(0), 30_000, 5);
    const closing = app.close();
    // (it no longer listens once it has begun to close, its preClose hooks run)
    await eventually(() => expect(app.server.listening).toBe(false), 30_000, 5);

    // when they end
    socket.write('\r\n');
    await ended;
    await closing;

    // then it is refused as the Instabase dialect refuses, says when to retry, closes, and did not run
    const [head = '', body = ''] = text.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 503 /);
    expect(head.toLowerCase()).toContain('retry-after: 1');
    expect(head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(body)).toEqual({ statusCode: 503, data: null, error: expect.stringContaining('shutting down and took no action') });
    expect(ran).toBe(false);
  });
});
