import { connect } from 'node:net';
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

  it('finishes the request in flight, and refuses one that comes after in the dialect\'s shape, 503 with Retry-After', async () => {
    const { hostname, port } = new URL(stack.url);
    const body = JSON.stringify({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'in-flight' }, spec: { kubernetes: { namespace: 'apps' } } });
    const socket = connect(Number(port), hostname);
    let text = '';
    const closed = new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk) => { text += chunk.toString(); }).on('error', reject).on('close', () => resolve());
    });
    // given a create whose body is still arriving when the gateway starts to close
    socket.write(`POST ${targets} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${stack.adminToken}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = stack.gateway.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // when its body ends, and another request follows on the same connection
    socket.write(`${body.slice(20)}GET ${targets}/in-flight HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${stack.adminToken}\r\n\r\n`);
    await closed;
    await stopped;

    // then the first is carried out and answered, the second refused as Ververica refuses, naming why
    const [first, second] = responses(text);
    expect(first).toMatchObject({ status: 201 });
    expect(JSON.parse(first!.body)).toMatchObject({ metadata: { name: 'in-flight' } });
    expect(second).toMatchObject({ status: 503, headers: expect.stringContaining('retry-after: 1') });
    expect(JSON.parse(second!.body)).toEqual({ kind: 'Error', apiVersion: 'v1', statusCode: 503, reason: expect.any(String), message: expect.stringContaining('shutting down') });
  });
});
