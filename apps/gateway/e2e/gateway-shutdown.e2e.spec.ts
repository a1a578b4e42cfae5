import type { Server } from 'node:http';
import { connect } from 'node:net';
import { eventually } from '@slipway/testing';
import { Client } from 'pg';
import { startStack, type Stack } from './stack';

const targets = '/api/v1/namespaces/default/deployment-targets';

/** The responses on one connection, in order: status line, headers and body each. */
function responses(text: string): Array<{ status: number; headers: string; body: string }> {
  return text.split(/(?=HTTP\/1\.1 \d{3} )/).filter(Boolean).map((part) => {
    const end = part.indexOf('\r\n\r\n');
    return { status: Number(part.split(' ', 2)[1]), headers: part.slice(0, end).toLowerCase(), body: part.slice(end + 4) };
  });
}

describe('the gateway shutting down', () => {
  let stack: Stack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => {
    for (const service of stack.services.reverse()) await service.close();
  });

  it('invites no retry of a 503 that will not pass (no cluster configured): no Retry-After', async () => {
    const response = await stack.request('/api/v1/control_plane/deployment/hibernate', { method: 'POST', headers: { authorization: '', Token: stack.adminToken } });
    expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 503, body: { statusCode: 503, error: expect.stringContaining('KUBECONFIG') } });
    expect(response.headers.get('retry-after')).toBeNull();
  });

  it('finishes the request in flight, closing its connection, and takes nothing more on it', async () => {
    const { hostname, port } = new URL(stack.url);
    const body = JSON.stringify({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'in-flight' }, spec: { kubernetes: { namespace: 'apps' } } });
    const next = JSON.stringify({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'not-taken' }, spec: { kubernetes: { namespace: 'apps' } } });
    const post = (text: string) => `POST ${targets} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${stack.adminToken}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
    const socket = connect(Number(port), hostname);
    let text = '';
    const closed = new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk) => { text += chunk.toString(); }).on('error', reject).on('close', () => resolve());
    });
    // given a create whose body is still arriving when the gateway starts to close
    // (each step waited for, not slept on: a loaded machine can take more than the 300 ms slept
    // before, and a close begun before the server read the headers finds no request in flight)
    const server = stack.gateway.app.getHttpServer() as Server;
    const received = new Promise<void>((resolve) => server.once('request', () => resolve()));
    const first = post(body);
    socket.write(first.slice(0, first.length - 20));
    await received;
    const stopped = stack.gateway.close();
    // (it no longer listens once it has begun to close: Fastify's preClose, where it sheds, came first)
    await eventually(() => expect(server.listening).toBe(false), 30_000);
    // when its body ends, and another create follows on the same connection
    socket.write(`${first.slice(first.length - 20)}${post(next)}`);
    await closed;
    await stopped;

    // then the first is carried out and answered, closing the connection (kept alive, it
    // would hold the close for Node's keep-alive timeout, 72 s); the second is not taken
    const answers = responses(text);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ status: 201, headers: expect.stringContaining('connection: close') });
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ metadata: { name: 'in-flight' } });
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query("SELECT stream_id FROM events WHERE stream_id LIKE 'target-default/%' ORDER BY stream_id");
      expect(rows.map((row) => row.stream_id)).toEqual(['target-default/in-flight']);
    } finally {
      await db.end();
    }
  });
});
