import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError } from 'fastify';
import { dialectOf } from './dialect';
import { errorBody } from './error-shapes';
import { allAnswered, unansweredOn } from './unanswered';

/**
 * The path of the request line Node failed to parse, when the packet it read (a Buffer,
 * whatever the type says) shows one: its last, the requests pipelined before it in the same
 * packet having been read.
 */
function pathOf(packet: unknown): string {
  if (!Buffer.isBuffer(packet)) return '/';
  const lines = packet.subarray(Math.max(0, packet.length - 65_536)).toString('latin1').split('\r\n');
  const paths = lines.map((line) => /^[A-Z]+ (\/\S*) HTTP\/1\.[01]$/.exec(line)?.[1]).filter((path) => path !== undefined);
  return paths.at(-1) ?? '/';
}

/**
 * The path of the request each connection is reading now, from the moment its headers are
 * read until it is answered: a body that times out is answered in that path's dialect.
 */
const pathInFlight = new WeakMap<Socket, string>();

export function noteRequestInFlight(socket: Socket, url: string): void {
  pathInFlight.set(socket, url);
  answeredBeforeBody.delete(socket);
}

export function forgetRequestInFlight(socket: Socket): void {
  pathInFlight.delete(socket);
}

/** How much of a body answered before it arrived Node may read and drop to keep its connection (Go's net/http reads 256 KiB). */
const DROPPED_REST_MOST = 256 * 1024;

/** Connections whose request was answered before its body had all arrived: a timeout then is not that request's to answer again. */
const answeredBeforeBody = new WeakSet<Socket>();

/** How long a connection closed after its answer stays open to read what its client still sends (so the client reads the answer, not a reset). */
const LINGER_MS = 1_000;

/**
 * A request answered before its body arrived (401 before any of it is read, authenticate-first.ts;
 * a refusal by its headers): Node reads the rest and drops it, to keep the connection for the
 * next request. A body of unknown length (chunked) or one longer than DROPPED_REST_MOST would
 * be read off the wire for nobody, as long as its sender cares to send (Node reads on even
 * after a `Connection: close` answer): its connection is closed after the answer instead, a
 * second later (a valid token gets that for a body over the limit too, 413).
 */
export function closeUnlessBodyIsSmall(request: IncomingMessage, response: ServerResponse): void {
  const chunked = request.headers['transfer-encoding'] !== undefined;
  const length = Number(request.headers['content-length'] ?? 0);
  if (request.complete || (!chunked && !(length > 0))) return;
  if (!chunked && length <= DROPPED_REST_MOST) {
    answeredBeforeBody.add(request.socket);
    return;
  }
  response.setHeader('connection', 'close');
  const socket = request.socket;
  response.once('finish', () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}

/** Connections whose refusal waits for the requests before it: a later error on them is not answered again. */
const refusing = new WeakSet<Socket>();

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (headers too large,
 * a control character in a header, an unknown method, Content-Length with chunked
 * encoding, a chunk size that does not parse, ...) or did not receive in time, in the
 * dialect of its path, where the request line can be read or the request is in flight,
 * else Slipway's platform shape: Fastify's own answer has a shape of its own. Written to
 * the socket whole, which is then closed (the parser cannot go on with it) — once the
 * requests read whole before it on the connection (pipelined) are answered: a write among
 * them is carried out, and closing the connection under it, or writing into its answer,
 * would leave its client told only that something after it was refused. (After an event
 * stream, that is when the stream ends, as Go's server reads nothing more meanwhile.)
 */
export function answerClientError(error: ConnectionError & { reason?: unknown }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || refusing.has(socket)) return;
  // Its request was answered already, its body never finished: nothing more to say.
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && answeredBeforeBody.has(socket)) {
    socket.destroy();
    return;
  }
  const open = unansweredOn(socket);
  // The one refused, when its headers were read (a body late, a chunk size that does not parse): not waited for.
  const refused = open.find((request) => !request.complete);
  const path = refused?.url ?? pathInFlight.get(socket) ?? pathOf(error.rawPacket);
  refusing.add(socket);
  void allAnswered(socket, open.filter((request) => request.complete)).then(() => refuse(error, socket, path));
}

function refuse(error: ConnectionError & { reason?: unknown }, socket: Socket, path: string): void {
  const [status, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'the request was not received in time']
    : error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'the request line and headers together are larger than the gateway reads (16 KiB, or too many headers)']
    : [400, `the request is not valid HTTP/1.1${typeof error.reason === 'string' ? ` (${error.reason.toLowerCase()})` : ''}`];
  const body = errorBody(dialectOf(path), status, { code: 'invalid', message });
  const [text, type] = asText(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${text}`);
  }
  socket.destroy();
}

/**
 * Answers a request whose `Expect` header asks for something other than `100-continue`,
 * which Node refuses before any route (as RFC 9110 10.1.1 has it: 417) with an empty body,
 * in the dialect of its path. The header's value is not quoted back.
 */
export function answerUnmetExpectation(request: IncomingMessage, response: ServerResponse): void {
  const body = errorBody(dialectOf(request.url ?? '/'), 417, { code: 'invalid', message: 'the Expect header asks for something this gateway does not do: only "100-continue" is met' });
  const [text, type] = asText(body);
  response.writeHead(417, { 'content-type': type, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', connection: 'close' });
  response.end(text);
}

/** An error body as written past Fastify: its text and content type. */
function asText(body: unknown): [string, string] {
  return typeof body === 'string' ? [body, 'text/plain; charset=utf-8'] : [JSON.stringify(body), 'application/json; charset=utf-8'];
}
