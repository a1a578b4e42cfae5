import { connect } from 'node:net';
import { parse } from 'yaml';
import { READ_OFF_LOOP_FROM } from '@slipway/runtime';
import { get, startStack, target, type Stack } from './stack';

// The document's example, with the indentation its flattened copy lost.
const EXAMPLE = `kind: DeploymentTarget
apiVersion: v1
metadata:
  name: myDeploymentTarget
  namespace: default
  labels:
    labelName: labelValue
  annotations:
    annotationName: annotationValue
spec:
  kubernetes:
    namespace: staging
`;
const yaml = { 'content-type': 'application/yaml' };
/**
 * One request as bytes, and the whole answer: sent with `Connection: close`, or one the gateway
 * closes the connection after (a refusal of the parser's). Not half-closed: Node drops a
 * request whose client ends its side before it is answered.
 */
function rawExchange(url: string, request: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString(); }).on('error', reject).on('close', () => {
      const end = answer.indexOf('\r\n\r\n');
      resolve({ status: Number(answer.split(' ', 2)[1]), head: answer.slice(0, end).toLowerCase(), body: answer.slice(end + 4) });
    });
  });
}

const json = { 'content-type': 'application/json' };
const targets = '/api/v1/namespaces/default/deployment-targets';

describe('Ververica DeploymentTargets through the gateway', () => {
  let stack: Stack;
  // A short request time, so a request that stops short is answered within the test; not 2 s:
  // a body over 16 KiB is received only as its handler reads it, after the token check, and
  // a loaded machine may take that long for one (answered 408).
  beforeAll(async () => { stack = await startStack({ requestTimeoutMs: 5_000 }); });
  afterAll(() => stack.stop());

  it('serves the document example verbatim: create, get, list', async () => {
    const created = await stack.request(targets, { method: 'POST', headers: yaml, body: EXAMPLE });
    expect(created.status).toBe(201);
    // JSON or YAML by Accept, at one URL: a cache must know
    expect(created.headers.get('vary')).toMatch(/\bAccept\b/);
    // Each answer is the asking token's (an admin's shows what others see redacted): no shared cache may keep one
    expect(created.headers.get('cache-control')).toBe('no-store');
    const body = await created.json();
    expect(body).toMatchObject({
      kind: 'DeploymentTarget', apiVersion: 'v1',
      metadata: { name: 'myDeploymentTarget', namespace: 'default', labels: { labelName: 'labelValue' }, annotations: { annotationName: 'annotationValue' }, resourceVersion: 1 },
      spec: { kubernetes: { namespace: 'staging' } },
    });
    expect(body.metadata.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(body.metadata.createdAt)).not.toBeNaN();

    const got = await stack.request(`${targets}/myDeploymentTarget`, { headers: { accept: 'application/yaml' } });
    expect(got.headers.get('content-type')).toContain('yaml');
    expect(parse(await got.text())).toEqual(body);

    const list = await (await stack.request(targets)).json();
    expect(list.items.map((t: { metadata: { name: string } }) => t.metadata.name)).toEqual(['myDeploymentTarget']);
  });

  it('updates metadata with PUT and refuses a spec change naming the field', async () => {
    const relabelled = EXAMPLE.replace('labelName: labelValue', 'labelName: other');
    const put = await stack.request(`${targets}/myDeploymentTarget`, { method: 'PUT', headers: yaml, body: relabelled });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ metadata: { labels: { labelName: 'other' }, resourceVersion: 2 } });

    const moved = await stack.request(`${targets}/myDeploymentTarget`, { method: 'PUT', headers: yaml, body: EXAMPLE.replace('namespace: staging', 'namespace: prod') });
    expect(moved.status).toBe(422);
    expect(await moved.json()).toMatchObject({ kind: 'Error', field: 'spec.kubernetes.namespace', message: expect.stringContaining('spec.kubernetes.namespace') });
  });

  it('PUT creates a target that does not exist (upsert) and accepts JSON', async () => {
    const doc = { kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'prod' }, spec: { kubernetes: { namespace: 'prod' } } };
    const put = await stack.request(`${targets}/prod`, { method: 'PUT', headers: json, body: JSON.stringify(doc) });
    // 201 with where it is, as a POST: the PUT made it (RFC 9110, and Kubernetes); 200 when it updates
    expect(put.status).toBe(201);
    expect(put.headers.get('location')).toBe(`${targets}/prod`);
    expect(await put.json()).toMatchObject({ metadata: { name: 'prod', namespace: 'default', resourceVersion: 1 } });
    const again = await stack.request(`${targets}/prod`, { method: 'PUT', headers: json, body: JSON.stringify({ ...doc, metadata: { name: 'prod', labels: { tier: 'a' } } }) });
    expect(again.status).toBe(200);
    expect(again.headers.get('location')).toBeNull();
  });

  it('makes a PUT carrying the resourceVersion it read only if the target is still at it (409 otherwise)', async () => {
    const doc = (labels: Record<string, string>, resourceVersion?: unknown) => JSON.stringify({
      kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'edited', labels, ...(resourceVersion === undefined ? {} : { resourceVersion }) }, spec: { kubernetes: { namespace: 'apps' } },
    });
    const put = (body: string) => stack.request(`${targets}/edited`, { method: 'PUT', headers: json, body });
    expect((await put(doc({}))).status).toBe(201);
    // given two clients that read version 1, the first one's change is made
    const first = await put(doc({ by: 'first' }, 1));
    expect(first.status).toBe(200);
    expect((await first.json()).metadata.resourceVersion).toBe(2);
    // then the second one's is refused, naming the field, and nothing changes
    const second = await put(doc({ by: 'second' }, 1));
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ kind: 'Error', statusCode: 409, reason: 'Conflict', field: 'metadata.resourceVersion', message: expect.stringContaining('is 2, not 1') });
    expect((await (await stack.request(`${targets}/edited`)).json()).metadata.labels).toEqual({ by: 'first' });
    // a version as Kubernetes spells it (a string) is read the same; one that is no version is refused 400
    expect((await put(doc({ by: 'second' }, '2'))).status).toBe(200);
    const bad = await put(doc({}, 'latest'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'metadata.resourceVersion' });
    // and a target deleted since it was read is not made again from that read
    expect((await stack.request(`${targets}/edited`, { method: 'DELETE' })).status).toBe(200);
    expect((await put(doc({}, 3))).status).toBe(409);
    expect((await stack.request(`${targets}/edited`)).status).toBe(404);
  });

  it('refuses a duplicate create with 409', async () => {
    const again = await stack.request(targets, { method: 'POST', headers: yaml, body: EXAMPLE });
    expect(again.status).toBe(409);
    expect((await again.json()).message).toContain('already exists');
  });

  it('keeps namespaces isolated', async () => {
    const other = await stack.request('/api/v1/namespaces/team-b/deployment-targets/myDeploymentTarget');
    expect(other.status).toBe(404);
  });

  it.each([
    ['malformed JSON', json, '{"kind": ', 400, 'malformed JSON'],
    ['malformed YAML', yaml, 'metadata: [unclosed', 400, 'malformed YAML'],
    ['an invalid name', json, JSON.stringify({ metadata: { name: 'no_underscores' } }), 400, 'metadata.name'],
    ['a wrong type', json, JSON.stringify({ metadata: { name: 'x', labels: { a: 1 } } }), 400, 'metadata.labels.a'],
    ['an unknown field', json, JSON.stringify({ metadata: { name: 'x' }, spec: { kubernetes: { namespace: 'a', cluster: 'b' } } }), 400, 'spec.kubernetes.cluster'],
    // Named as sent, not as the function every object inherits under that name.
    ['a field named as what objects inherit', json, '{"constructor":1,"metadata":{"name":"x"}}', 400, 'unknown field \\"constructor\\"'],
    // Kept as an own key by JSON.parse and YAML alike, and dropped without a word by validation.
    ['a __proto__ label key', json, '{"metadata":{"name":"x","labels":{"__proto__":"c","x":"y"}}}', 400, 'metadata.labels.__proto__'],
    ['a __proto__ label key in YAML', yaml, 'metadata:\n  name: x\n  labels: {__proto__: c}\n', 400, 'metadata.labels.__proto__'],
    ['a wrong kind', json, JSON.stringify({ kind: 'Deployment', metadata: { name: 'x' } }), 400, 'kind'],
    ['a bad Kubernetes namespace', json, JSON.stringify({ metadata: { name: 'x' }, spec: { kubernetes: { namespace: 'Not Valid' } } }), 400, 'spec.kubernetes.namespace'],
    ['a namespace mismatch', json, JSON.stringify({ metadata: { name: 'x', namespace: 'elsewhere' } }), 400, 'metadata.namespace'],
    ['an empty body', json, '', 400, 'empty'],
    // Postgres cannot store U+0000: accepted, it would fail on every delivery and be dead-lettered.
    ['a NUL character in a value', json, JSON.stringify({ metadata: { name: 'x', annotations: { note: 'a\u0000b' } }, spec: { kubernetes: { namespace: 'a' } } }), 400, 'metadata.annotations.note'],
    // JSON's "\ud800" decodes to half a surrogate pair, which Postgres cannot store either.
    ['an unpaired surrogate in a value', json, '{"metadata":{"name":"x","annotations":{"k":"x \\ud800"}},"spec":{"kubernetes":{"namespace":"a"}}}', 400, 'metadata.annotations.k: must not contain an unpaired UTF-16 surrogate'],
    ['a body in a content coding the gateway does not decode', { ...json, 'content-encoding': 'gzip' }, JSON.stringify({ metadata: { name: 'x' } }), 415, 'Content-Encoding \\"gzip\\" is not supported'],
    ['a NUL character in YAML', yaml, 'metadata:\n  name: x\n  labels:\n    team: "a\\0b"\n', 400, 'metadata.labels.team'],
    ['a label key that is no Kubernetes label key, saying the rule', json, JSON.stringify({ metadata: { name: 'x', labels: { 'bad key': 'v' } } }), 400, 'metadata.labels.bad key: label keys must be an optional DNS subdomain prefix'],
    ['an annotation key that is no Kubernetes annotation key', json, JSON.stringify({ metadata: { name: 'x', annotations: { 'bad key': 'v' } } }), 400, 'metadata.annotations.bad key: annotation keys must be'],
    ['annotations over 256 KiB in bytes (not in characters)', json, JSON.stringify({ metadata: { name: 'x', annotations: { note: '\u00e9'.repeat(140 * 1024) } } }), 400, 'annotations must total at most 256 KiB'],
    ['labels over 256 KiB in all (each one valid)', json, JSON.stringify({ metadata: { name: 'x', labels: Object.fromEntries(Array.from({ length: 2_200 }, (_, i) => [`team-${i}-${'k'.repeat(50)}`, 'v'.repeat(63)])) } }), 400, 'labels must total at most 256 KiB'],
    ['a key twice in one JSON object', json, '{"metadata":{"name":"x"},"metadata":{"name":"y"}}', 400, 'the key \\"metadata\\" appears twice'],
    ['a media type that is no document', { 'content-type': 'application/xml' }, '<x/>', 415, 'unsupported content type'],
    ['a read-only field in another shape than GET gives it', json, JSON.stringify({ metadata: { name: 'x', createdAt: { a: 1 } } }), 400, 'metadata.createdAt must be a time as GET gives it'],
    ['a resourceVersion that is no version, on a create', json, JSON.stringify({ metadata: { name: 'x', resourceVersion: 'abc' } }), 400, 'metadata.resourceVersion must be a positive integer'],
    ['a status that is no object', json, JSON.stringify({ metadata: { name: 'x' }, status: [1] }), 400, 'status must be an object'],
    ['a document nested deeper than 128 levels', json, `{"kind":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, 400, 'request body is nested deeper than 128 levels'],
    ['a YAML alias inside the node it names (a value containing itself)', yaml, '&r\nkind: *r\n', 400, 'alias *r stands for a node that contains it'],
    ['a key twice in one YAML map, named with its field', yaml, 'metadata:\n  name: dup\n  name: dup2\n', 400, 'the key \\"name\\" appears twice in one map (metadata.name)'],
  ])('answers %s with a clear 4xx and writes nothing', async (_case, headers, body, status, mention) => {
    const before = await (await stack.request('/api/v1/events?limit=1000')).json();
    const response = await stack.request(targets, { method: 'POST', headers, body });
    expect(response.status).toBe(status);
    const error = await response.json();
    expect(error.kind).toBe('Error');
    expect(JSON.stringify(error)).toContain(mention);
    expect(JSON.stringify(error)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    const after = await (await stack.request('/api/v1/events?limit=1000')).json();
    expect(after.events.length).toBe(before.events.length);
  });

  it('takes an annotation key as long as Kubernetes takes one: a 253-character prefix, "/" and a 63-character name', async () => {
    const key = `${['a', 'b', 'c'].map((c) => c.repeat(63)).join('.')}.${'d'.repeat(61)}/${'n'.repeat(63)}`;
    expect(key).toHaveLength(317);
    const response = await stack.request(targets, { method: 'POST', headers: json, body: JSON.stringify({ metadata: { name: 'long-key', annotations: { [key]: 'v' } } }) });
    expect(response.status).toBe(201);
    expect((await response.json()).metadata.annotations).toEqual({ [key]: 'v' });
  });

  it('refuses a namespace holding an encoded "/" in the dialect\'s shape', async () => {
    for (const path of ['/api/v1/namespaces/a%2Fb/deployment-targets', '/api/v1/namespaces/..%2F..%2Ftokens/deployment-targets/x']) {
      const response = await stack.request(path);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ kind: 'Error', statusCode: 400, message: expect.stringContaining('namespace') });
    }
  });

  it('answers what the HTTP parser refuses in the dialect of the path, not in a shape of its own', async () => {
    const raw = (request: string) => rawExchange(stack.url, request);
    const oversized = await raw(`GET /api/v1/namespaces/default/deployment-targets HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(oversized.status).toBe(431);
    expect(JSON.parse(oversized.body)).toMatchObject({ kind: 'Error', statusCode: 431, reason: 'RequestHeaderFieldsTooLarge', message: expect.stringContaining('larger than the gateway reads') });
    const control = await raw('GET /api/v1/control_plane/base_configs HTTP/1.1\r\nHost: x\r\nToken: a\u0001b\r\n\r\n');
    expect({ status: control.status, body: JSON.parse(control.body) }).toEqual({ status: 400, body: { statusCode: 400, data: null, error: expect.stringContaining('not valid HTTP/1.1') } });
    const method = await raw('FOO /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n');
    expect({ status: method.status, body: JSON.parse(method.body) }).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
  });

  it('answers a write before refusing what the parser cannot read after it on the same connection (probe: carried out, its client was told only 400)', async () => {
    const write = (name: string, connection = '') => {
      const body = JSON.stringify({ metadata: { name } });
      return `POST ${targets} HTTP/1.1\r\nHost: x\r\n${connection}Authorization: Bearer ${stack.adminToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    };
    const statuses = async (request: string) => {
      const { head, body } = await rawExchange(stack.url, request);
      return [...`${head}\r\n\r\n${body}`.matchAll(/http\/1\.1 (\d{3}) /gi)].map((match) => Number(match[1]));
    };
    const followers = {
      control: 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n',
      oversized: `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      method: 'GARBAGE\r\n\r\n',
    };
    for (const [name, follower] of Object.entries(followers)) {
      expect({ name, statuses: await statuses(write(`pipelined-${name}`) + follower) }).toEqual({ name, statuses: [201, name === 'oversized' ? 431 : 400] });
      expect((await stack.request(`${targets}/pipelined-${name}`)).status).toBe(200);
    }
    // bytes after a request that closes the connection: it is answered, and they are not read
    expect(await statuses(write('pipelined-closing', 'Connection: close\r\n') + 'GARBAGE\r\n\r\n')).toEqual([201]);
    // one whose own body does not parse is the one refused, at once; after the writes before it (probe: they were carried out, unanswered)
    const badChunk = `POST ${targets} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${stack.adminToken}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`;
    expect(await statuses(badChunk)).toEqual([400]);
    expect(await statuses(write('pipelined-chunk-a') + write('pipelined-chunk-b') + badChunk)).toEqual([201, 201, 400]);
  });

  it('handles pipelined requests one at a time, in the order sent, and answers a client that half-closes after sending (probes: a DELETE ran before the POST ahead of it; a write was carried out unanswered)', async () => {
    const body = JSON.stringify({ metadata: { name: 'in-turn' } });
    const auth = `Authorization: Bearer ${stack.adminToken}\r\n`;
    const create = `POST ${targets} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const remove = `DELETE ${targets}/in-turn HTTP/1.1\r\nHost: x\r\n${auth}\r\n`;
    const read = `GET ${targets}/in-turn HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`;
    const { head, body: rest } = await rawExchange(stack.url, create + remove + read);
    expect([...`${head}\r\n\r\n${rest}`.matchAll(/http\/1\.1 (\d{3}) /gi)].map((match) => Number(match[1]))).toEqual([201, 200, 404]);
    // sent, then the sending side closed (FIN): the write is answered before the connection closes
    const halfClosed = await new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(stack.url);
      const socket = connect(Number(port), hostname, () => socket.end(create));
      let answer = '';
      socket.on('data', (chunk) => { answer += chunk.toString(); }).on('error', reject).on('close', () => resolve(answer));
    });
    expect(halfClosed.split('\r\n', 1)[0]).toBe('HTTP/1.1 201 Created');
    expect((await stack.request(`${targets}/in-turn`)).status).toBe(200);
  });

  it('writes no refusal into an event stream the request before it opened (probe: a 408 landed inside the stream, in place of a chunk)', async () => {
    const { hostname, port } = new URL(stack.url);
    const socket = connect(Number(port), hostname, () => socket.write(
      `GET /api/v1/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${stack.adminToken}\r\n\r\nGET ${targets} HTTP/1.1\r\nHost: x\r\n`,
    ));
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString(); });
    try {
      // past the stack's request time (5 s), the partial request after the stream is not refused inside it
      await new Promise((resolve) => setTimeout(resolve, 6_500));
      expect(answer.split('\r\n', 1)[0]).toBe('HTTP/1.1 200 OK');
      expect(answer).not.toContain('HTTP/1.1 408');
      expect(socket.destroyed).toBe(false);
    } finally {
      socket.destroy();
    }
  }, 20_000);

  it('tells a client that waits to send its body (Expect: 100-continue, as curl does for an upload) to go on only once its token is taken', async () => {
    // The headers alone, then what the gateway says first; the body only once it says 100.
    const exchange = (authorization: string, name: string) => new Promise<{ first: string; whole: string }>((resolve, reject) => {
      const { hostname, port } = new URL(stack.url);
      const body = JSON.stringify({ metadata: { name } });
      let whole = '';
      let first = '';
      const socket = connect(Number(port), hostname, () => socket.write(
        `POST ${targets} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${authorization}Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
      ));
      socket.on('data', (chunk) => {
        whole += chunk.toString();
        if (!first) {
          first = whole.split('\r\n', 1)[0]!;
          if (first.includes(' 100 ')) socket.write(body);
        }
      }).on('error', reject).on('close', () => resolve({ first, whole }));
    });
    const refused = await exchange('', 'continued-without-token');
    expect(refused.first).toBe('HTTP/1.1 401 Unauthorized');
    const taken = await exchange(`Authorization: Bearer ${stack.adminToken}\r\n`, 'continued');
    expect(taken.first).toBe('HTTP/1.1 100 Continue');
    expect(taken.whole).toContain('HTTP/1.1 201 Created');
    expect((await stack.request(`${targets}/continued-without-token`)).status).toBe(404);
  });

  it('counts an Idempotency-Key in the characters it was sent in, not its bytes (probe: 200 "é" were refused as over 200)', async () => {
    const create = (key: string, name: string) => {
      const body = JSON.stringify({ metadata: { name } });
      return rawExchange(stack.url, `POST ${targets} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${stack.adminToken}\r\nContent-Type: application/json\r\nIdempotency-Key: ${key}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    expect((await create('é'.repeat(200), 'idem-accents')).status).toBe(201);
    const over = await create('é'.repeat(201), 'idem-accents-over');
    expect({ status: over.status, body: JSON.parse(over.body) }).toMatchObject({ status: 400, body: { message: expect.stringContaining('1 to 200 characters') } });
  });

  it('refuses an HTTP/1.1 request without a Host header, or with two, in the dialect of the path, and says every refusal is not to be cached (probe)', async () => {
    const raw = (request: string) => rawExchange(stack.url, request);
    const auth = `Authorization: Bearer ${stack.adminToken}\r\nConnection: close`;
    // Node answered a missing Host with an empty 400 of its own, and took the first of two.
    const none = await raw(`GET ${targets} HTTP/1.1\r\n${auth}\r\n\r\n`);
    expect({ status: none.status, body: JSON.parse(none.body) }).toMatchObject({ status: 400, body: { kind: 'Error', statusCode: 400, message: expect.stringContaining('needs a Host header') } });
    expect(none.head).toContain('cache-control: no-store');
    const two = await raw(`GET ${targets} HTTP/1.1\r\nHost: a\r\nHost: b\r\n${auth}\r\n\r\n`);
    expect({ status: two.status, body: JSON.parse(two.body) }).toMatchObject({ status: 400, body: { kind: 'Error', message: expect.stringContaining('2 Host headers') } });
    // HTTP/1.0 needs none; one Host is the rule.
    expect((await raw(`GET ${targets} HTTP/1.0\r\n${auth}\r\n\r\n`)).status).toBe(200);
    expect((await raw(`GET ${targets} HTTP/1.1\r\nHost: x\r\n${auth}\r\n\r\n`)).status).toBe(200);
    // What the HTTP parser refuses carries it too.
    const oversized = await raw(`GET ${targets} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(oversized.status).toBe(431);
    expect(oversized.head).toContain('cache-control: no-store');
  });

  it('refuses a write with a query parameter (dryRun=All made a real create), and creates nothing', async () => {
    const refused = await stack.request(`${targets}?dryRun=All`, { method: 'POST', headers: json, body: JSON.stringify({ metadata: { name: 'dry-run-only' } }) });
    expect({ status: refused.status, body: await refused.json() }).toMatchObject({ status: 400, body: { kind: 'Error', message: 'unknown field "dryRun": a POST takes its fields in the body, not in the query' } });
    expect((await stack.request(`${targets}/dry-run-only`)).status).toBe(404);
  });

  it('refuses a DELETE with a body (malformed JSON was ignored and the target deleted), and deletes nothing', async () => {
    expect((await stack.request(targets, { method: 'POST', headers: json, body: target('kept-on-body') })).status).toBe(201);
    for (const body of ['{not json', '{"force": true}']) {
      const refused = await stack.request(`${targets}/kept-on-body`, { method: 'DELETE', headers: json, body });
      expect({ status: refused.status, body: await refused.json() }).toMatchObject({
        status: 400, body: { kind: 'Error', message: `a DELETE takes no body: what it deletes is named in its path (${targets}/kept-on-body)` },
      });
    }
    expect((await stack.request(`${targets}/kept-on-body`)).status).toBe(200);
    // an empty body is no body
    expect((await stack.request(`${targets}/kept-on-body`, { method: 'DELETE', headers: json, body: '' })).status).toBe(200);
  });

  it('answers a body that stops short of its Content-Length with 408 in the dialect once its time is up, instead of holding the connection', async () => {
    const { hostname, port } = new URL(stack.url);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(port), hostname, () => socket.write(
        `POST ${targets} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${stack.adminToken}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`,
      ));
      socket.on('data', (chunk) => { text += chunk.toString(); }).on('error', reject).on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ kind: 'Error', statusCode: 408, reason: 'RequestTimeout' });
  });

  it('refuses bytes that are no UTF-8 (400) and a charset other than UTF-8 (415), reads a BOM-led JSON body', async () => {
    const document = (annotation: string) => `{"metadata":{"name":"utf8-check","annotations":{"note":"${annotation}"}},"spec":{"kubernetes":{"namespace":"apps"}}}`;
    const [before, after] = document('|').split('|');
    const bytes = Buffer.concat([Buffer.from(before!), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(after!)]);
    const invalid = await stack.request(targets, { method: 'POST', headers: json, body: bytes });
    expect({ status: invalid.status, body: await invalid.json() }).toMatchObject({ status: 400, body: { kind: 'Error', message: expect.stringContaining('not valid UTF-8') } });
    const utf16 = await stack.request(targets, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-16' }, body: document('x') });
    expect({ status: utf16.status, body: await utf16.json() }).toMatchObject({ status: 415, body: { kind: 'Error', message: expect.stringContaining('charset "utf-16" is not supported') } });
    const bom = await stack.request(targets, { method: 'POST', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: `\ufeff${document('é')}` });
    expect({ status: bom.status, note: (await bom.json()).metadata?.annotations?.note }).toEqual({ status: 201, note: 'é' });
  });

  it('refuses a query parameter on a read, which serves no filter, rather than answer every item', async () => {
    const listed = await stack.request(`${targets}?labelSelector=${encodeURIComponent('app=web')}`);
    expect({ status: listed.status, body: await listed.json() }).toMatchObject({ status: 400, body: { kind: 'Error', message: expect.stringContaining('unknown query parameter "labelSelector"') } });
    expect((await stack.request(`${targets}/myDeploymentTarget?limit=2`)).status).toBe(400);
  });

  it('answers a method a path does not serve with 405 and the methods it does (Allow), an unknown path with 404', async () => {
    const patched = await stack.request(`${targets}/myDeploymentTarget`, { method: 'PATCH', headers: json, body: '{}' });
    expect(patched.status).toBe(405);
    expect(patched.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PUT']);
    expect(await patched.json()).toMatchObject({ kind: 'Error', statusCode: 405, reason: 'MethodNotAllowed', message: expect.stringContaining('PATCH is not allowed') });
    const collection = await stack.request(targets, { method: 'DELETE' });
    expect({ status: collection.status, allow: collection.headers.get('allow')?.split(', ').sort() }).toEqual({ status: 405, allow: ['GET', 'HEAD', 'POST'] });
    const unknown = await stack.request('/api/v1/namespaces/team-a/no-such-things', { method: 'PATCH' });
    expect({ status: unknown.status, allow: unknown.headers.get('allow') }).toEqual({ status: 404, allow: null });
    // The collection with a trailing slash is no path any method serves: 404 alike, no `Allow`
    // (the item route's name would be empty there), in the dialect's shape, as is an empty namespace.
    for (const method of ['GET', 'POST', 'PATCH']) {
      const slashed = await stack.request(`${targets}/`, { method, headers: json, ...(method === 'GET' ? {} : { body: '{}' }) });
      expect({ status: slashed.status, allow: slashed.headers.get('allow'), kind: (await slashed.json()).kind }).toEqual({ status: 404, allow: null, kind: 'Error' });
    }
    // CONNECT, which Node hands to no request handler (a probe got an empty reply), is one too, the connection closed after it.
    const tunnel = await rawExchange(stack.url, `CONNECT ${targets} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${stack.adminToken}\r\n\r\n`);
    expect({ status: tunnel.status, allow: /^allow: (.*)$/m.exec(tunnel.head)?.[1]?.toUpperCase().split(', ').sort(), body: JSON.parse(tunnel.body) }).toMatchObject({
      status: 405, allow: ['GET', 'HEAD', 'POST'], body: { kind: 'Error', statusCode: 405, message: expect.stringContaining('CONNECT is not allowed') },
    });
    const noNamespace = await stack.request('/api/v1/namespaces//deployment-targets');
    expect({ status: noNamespace.status, body: await noNamespace.json() }).toMatchObject({ status: 404, body: { kind: 'Error', statusCode: 404 } });
  });

  it('refuses the secret of the token that sends it, in a body or as a correlation id, whatever its shape (the bootstrap admin\'s of an operator\'s own has none): the log would show it', async () => {
    expect(stack.adminToken.startsWith('slw_')).toBe(false);
    const target = (annotation: string) => JSON.stringify({ metadata: { name: 'own-token', annotations: { note: annotation } }, spec: { kubernetes: { namespace: 'x' } } });
    const inBody = await stack.request(targets, { method: 'POST', headers: json, body: target(`use ${stack.adminToken} here`) });
    const body = await inBody.json();
    expect({ status: inBody.status, body }).toMatchObject({ status: 400, body: { kind: 'Error', message: expect.stringContaining('holds the secret of the token that sends it') } });
    expect(JSON.stringify(body)).not.toContain(stack.adminToken);
    const asCorrelation = await stack.request(targets, { method: 'POST', headers: { ...json, 'x-correlation-id': stack.adminToken }, body: target('fine') });
    expect({ status: asCorrelation.status, body: await asCorrelation.json() }).toMatchObject({ status: 400, body: { kind: 'Error', message: expect.stringContaining("must not hold a token's secret") } });
    expect((await stack.request(`${targets}/own-token`)).status).toBe(404);
    const events = await (await stack.request('/api/v1/events?limit=1000')).text();
    expect(events).not.toContain(stack.adminToken);
  });

  it('refuses a correlation id that reads as a secret, naming the header, as a principal\'s name is refused (probe: the audit showed it)', async () => {
    const body = JSON.stringify({ metadata: { name: 'secret-correlation' }, spec: { kubernetes: { namespace: 'x' } } });
    const refused = await stack.request(targets, { method: 'POST', headers: { ...json, 'x-correlation-id': 'db-password:hunter2corr' }, body });
    expect({ status: refused.status, body: await refused.json() }).toMatchObject({ status: 400, body: { kind: 'Error', message: expect.stringMatching(/^X-Correlation-Id must not hold what reads as a secret/) } });
    expect((await stack.request(`${targets}/secret-correlation`)).status).toBe(404);
    const taken = await stack.request(targets, { method: 'POST', headers: { ...json, 'x-correlation-id': 'password-reset.42' }, body });
    expect(taken.status).toBe(201);
  });

  it('refuses a `__proto__` query parameter as any other it does not take, and an Expect it does not meet with 417 in the dialect\'s shape', async () => {
    const listed = await stack.request(`${targets}?__proto__=1`);
    expect({ status: listed.status, body: await listed.json() }).toMatchObject({ status: 400, body: { kind: 'Error', message: expect.stringContaining('unknown query parameter "__proto__"') } });
    const created = await stack.request(`${targets}?__proto__=1`, { method: 'POST', headers: json, body: JSON.stringify({ metadata: { name: 'proto-query' }, spec: { kubernetes: { namespace: 'x' } } }) });
    expect(created.status).toBe(400);
    expect((await stack.request(`${targets}/proto-query`)).status).toBe(404);
    // Expect: only 100-continue is met; Node answers others itself, with an empty body
    const expecting = await rawExchange(stack.url, `POST ${targets} HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
    expect({ status: expecting.status, body: JSON.parse(expecting.body) }).toMatchObject({ status: 417, body: { kind: 'Error', statusCode: 417, message: expect.stringContaining('only "100-continue" is met') } });
  });

  it('refuses a Content-Type sent twice or naming its charset twice (400), and a transfer coding other than chunked (415), creating nothing; chunked alone is read', async () => {
    const body = JSON.stringify({ metadata: { name: 'unclear-type' }, spec: { kubernetes: { namespace: 'x' } } });
    const send = (headers: string, payload = body) => rawExchange(stack.url, `POST ${targets} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${stack.adminToken}\r\n${headers}\r\n${payload}`);
    const twice = await send(`Content-Type: application/json\r\nContent-Type: application/xml\r\nContent-Length: ${body.length}\r\n`);
    expect({ status: twice.status, body: JSON.parse(twice.body) }).toMatchObject({ status: 400, body: { kind: 'Error', message: 'Content-Type is sent 2 times: send it once' } });
    const charsets = await send(`Content-Type: application/json;charset=utf-8;charset=latin1\r\nContent-Length: ${body.length}\r\n`);
    expect({ status: charsets.status, body: JSON.parse(charsets.body) }).toMatchObject({ status: 400, body: { kind: 'Error', message: expect.stringContaining('names its charset more than once') } });
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n0\r\n\r\n`;
    const gzip = await send('Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n', chunk(body));
    expect({ status: gzip.status, body: JSON.parse(gzip.body) }).toMatchObject({ status: 415, body: { kind: 'Error', message: expect.stringContaining('Transfer-Encoding "gzip, chunked" is not supported') } });
    expect((await stack.request(`${targets}/unclear-type`)).status).toBe(404);
    const chunked = await send('Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n', chunk(body));
    expect(chunked.status).toBe(201);
  });

  it('refuses an oversized body with 413 in the dialect shape', async () => {
    const huge = JSON.stringify({ metadata: { name: 'big', annotations: { a: 'x'.repeat(2 * 1024 * 1024) } } });
    const response = await stack.request(targets, { method: 'POST', headers: json, body: huge });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ kind: 'Error', statusCode: 413, message: expect.stringContaining("the 1 MiB this route takes") });
  });

  it('reads a large YAML body and writes a large YAML answer on a worker thread, as it reads and writes small ones', async () => {
    const labels = Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`l${i}`, `v${i}`]));
    const document = `kind: DeploymentTarget\napiVersion: v1\nmetadata:\n  name: wide\n  labels:\n${Object.entries(labels).map(([k, v]) => `    ${k}: ${v}\n`).join('')}spec:\n  kubernetes:\n    namespace: wide\n`;
    expect(document.length).toBeGreaterThan(READ_OFF_LOOP_FROM);
    const wide = '/api/v1/namespaces/large/deployment-targets/wide';
    const refused = await stack.request(wide, { method: 'PUT', headers: yaml, body: document.replace('  name: wide\n', '  name: wide\n  name: again\n') });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ kind: 'Error', field: 'metadata.name', message: 'malformed YAML: the key "name" appears twice in one map (metadata.name) (line 5, column 3)' });
    const put = await stack.request(wide, { method: 'PUT', headers: yaml, body: document });
    expect(put.status).toBe(201);
    const written = await put.json();
    expect(written.metadata.labels).toEqual(labels);
    const asYaml = await stack.request(wide, { headers: { accept: 'application/yaml' } });
    expect(asYaml.status).toBe(200);
    expect(asYaml.headers.get('content-type')).toContain('yaml');
    // Streamed as the worker writes it (a small answer has its length)
    expect(asYaml.headers.get('content-length')).toBeNull();
    expect(parse(await asYaml.text())).toEqual(written);
  });

  it('shows back no secret a refusal quotes: a token\'s secret as a command id, a URL\'s password as a namespace', async () => {
    const secret = `slw_Ab3${'k'.repeat(40)}`;
    const unknown = await stack.request(`/api/v1/commands/${secret}`);
    expect(unknown.status).toBe(404);
    const unknownText = await unknown.text();
    expect(JSON.parse(unknownText)).toMatchObject({ error: { code: 'not-found', message: expect.stringContaining('[redacted]') } });
    expect(unknownText).not.toContain(secret);
    const elsewhere = { kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'elsewhere', namespace: 'https://u:pw-5512@h/' }, spec: { kubernetes: { namespace: 'x' } } };
    const refused = await stack.request(targets, { method: 'POST', headers: json, body: JSON.stringify(elsewhere) });
    expect(refused.status).toBe(400);
    const refusedText = await refused.text();
    expect(JSON.parse(refusedText)).toMatchObject({ kind: 'Error', field: 'metadata.namespace', message: expect.stringContaining('does not match the namespace in the path') });
    expect(refusedText).not.toContain('pw-5512');
    // a key in the field's path too (an unknown top-level key shaped like a token's secret)
    const keyed = await stack.request(targets, { method: 'POST', headers: yaml, body: `${EXAMPLE}${secret}: 1\n` });
    expect(keyed.status).toBe(400);
    const keyedText = await keyed.text();
    expect(JSON.parse(keyedText)).toMatchObject({ kind: 'Error', field: '[redacted]' });
    expect(keyedText).not.toContain(secret);
  });

  it('deletes an unreferenced target and returns it', async () => {
    const deleted = await stack.request(`${targets}/prod`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect((await deleted.json()).metadata.name).toBe('prod');
    expect((await stack.request(`${targets}/prod`)).status).toBe(404);
  });

  it('needs a token (401) and the capability (403)', async () => {
    const anonymous = await get(`${stack.url}${targets}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="slipway"');
    expect((await anonymous.json()).kind).toBe('Error');
    const wrong = await get(`${stack.url}${targets}`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(wrong.status).toBe(401);
    // asked before anything the request holds is looked at: an invalid namespace too
    expect((await get(`${stack.url}/api/v1/namespaces/Bad_NS/deployment-targets`)).status).toBe(401);
    // and a write's query parameter, refused 400 only to whom a token names
    const queried = await get(`${stack.url}${targets}?dryRun=All`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect({ status: queried.status, kind: (await queried.json()).kind }).toEqual({ status: 401, kind: 'Error' });
  });
});
