import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError } from 'fastify';
import { dialectOf } from './dialect';
import { errorBody } from './error-shapes';

/** The path of the request line Node failed to parse, when the packet it read (a Buffer, whatever the type says) shows one. */
function pathOf(packet: unknown): string {
  const requestLine = Buffer.isBuffer(packet) ? packet.subarray(0, 8192).toString('latin1').split('\r\n', 1)[0]! : '';
  return /^[A-Z]+ (\/\S*) HTTP\/1\.[01]$/.exec(requestLine)?.[1] ?? '/';
}

/**
 * The path of the request each connection is reading now, from the moment its headers are
 * read until it is answered: a body that times out is answered in that path's dialect.
 */
const pathInFlight = new WeakMap<Socket, string>();

export function noteRequestInFlight(socket: Socket, url: string): void {
  pathInFlight.set(socket, url);
}

export function forgetRequestInFlight(socket: Socket): void {
  pathInFlight.delete(socket);
}

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (headers too large,
 * a control character in a header, an unknown method, Content-Length with chunked
 * encoding, ...) or did not receive in time, in the dialect of its path, where the request
 * line can be read or the request is in flight, else Slipway's platform shape: Fastify's
 * own answer has a shape of its own. Written to the socket whole, which is then closed (the
 * parser cannot go on with it).
 */
export function answerClientError(error: ConnectionError & { reason?: unknown }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'the request was not received in time']
    : error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'the request line and headers together are larger than the gateway reads (16 KiB)']
    : [400, `the request is not valid HTTP/1.1${typeof error.reason === 'string' ? ` (${error.reason.toLowerCase()})` : ''}`];
  const body = errorBody(dialectOf(pathInFlight.get(socket) ?? pathOf(error.rawPacket)), status, { code: 'invalid', message });
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
