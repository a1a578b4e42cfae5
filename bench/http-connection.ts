import { connect, type Socket } from 'node:net';

export interface HttpCall {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/**
 * One keep-alive HTTP/1.1 connection that sends a request and reads its answer, one at a
 * time. The load generator shares the measured machine's cores, so it is kept lean: it
 * writes each request in one call and reads only the status line and the framing headers,
 * where node:http would cost several times the CPU per request.
 */
export class HttpConnection {
  private socket?: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting?: { resolve: (status: number) => void; reject: (error: Error) => void };

  constructor(private readonly host: string, private readonly port: number) {}

  request(call: HttpCall): Promise<number> {
    const socket = this.socket ?? this.open();
    const body = call.body ? Buffer.from(call.body) : undefined;
    const headerLines = Object.entries(call.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const head = `${call.method} ${call.path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n${headerLines}content-length: ${body?.length ?? 0}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(body ? Buffer.concat([Buffer.from(head), body]) : head);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.takeResponse();
    });
    const fail = (error: Error) => {
      this.socket = undefined;
      this.buffered = Buffer.alloc(0);
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    this.socket = socket;
    return socket;
  }

  /** Completes the pending request once its whole response (headers and body) has arrived. */
  private takeResponse(): void {
    const end = this.buffered.indexOf(CRLF_CRLF);
    if (end < 0 || !this.waiting) return;
    const head = this.buffered.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = status === 204 || status === 304 ? ['', '0'] : /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      // Every answer of the measured servers is framed by content-length; anything else is a bench bug.
      this.waiting.reject(new Error(`response without content-length: ${head.split('\r\n')[0]}`));
      this.waiting = undefined;
      return;
    }
    const total = end + CRLF_CRLF.length + Number(length[1]);
    if (this.buffered.length < total) return;
    this.buffered = this.buffered.subarray(total);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting.resolve(status);
  }
}
