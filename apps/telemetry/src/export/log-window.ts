import { redactTextKeepingLines } from '@slipway/contracts';

/** [start, end) in milliseconds since the epoch. */
export interface TimeWindow { start: number; end: number }

export interface BoundedLog {
  /** The kept lines, each ending in a newline. */
  text: string;
  lines: number;
  bytes: number;
  /** Lines of the window may be missing: a byte bound (ours or the server's limitBytes) was reached. */
  truncated: boolean;
}

/** `sinceTime` for the log endpoint: RFC 3339 to the second, rounded down (the rest is filtered here). */
export function sinceTimeOf(start: number): string {
  return new Date(Math.floor(start / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The lines of a container log read with `timestamps=true` (each `<RFC3339Nano> <message>`)
 * that fall in the window, redacted, at most `maxBytes` in all. The messages are redacted
 * together, not line by line, and as read, before the window is cut from them: a secret may
 * run over several lines (a PEM key, a config dumped at start with `tls.key: |` or an env
 * entry's `name:` and `value:` lines), and its name or BEGIN line may lie outside the window.
 * What was read is itself cut from the log (at `sinceTime`, at limitBytes): a key cut there
 * is hidden too (redactTextKeepingLines' excerpt).
 * `cutAtLimit` says the server stopped at limitBytes: its last line may be partial (dropped)
 * and the window may go on past it — unless a line after the window's end was already seen.
 * A line without a timestamp continues the line before it and goes where that one went.
 */
export function boundLog(raw: string, window: TimeWindow, maxBytes: number, cutAtLimit: boolean): BoundedLog {
  const lines = raw.split('\n');
  if (raw.endsWith('\n') || cutAtLimit) lines.pop();
  const read: Array<{ stamp: string | undefined; message: string; inWindow: boolean }> = [];
  let pastEnd = false;
  let keeping = false;
  for (const line of lines) {
    const space = line.indexOf(' ');
    const at = space > 0 ? Date.parse(line.slice(0, space)) : Number.NaN;
    if (!Number.isNaN(at)) {
      pastEnd ||= at >= window.end;
      keeping = at >= window.start && at < window.end;
    }
    read.push(Number.isNaN(at) ? { stamp: undefined, message: line, inWindow: keeping } : { stamp: line.slice(0, space), message: line.slice(space + 1), inWindow: keeping });
  }
  const messages = redactTextKeepingLines(read.map((line) => line.message).join('\n'), true).split('\n');
  const inWindow = read.map((line, i) => ({ ...line, message: messages[i]! })).filter((line) => line.inWindow);
  const kept: string[] = [];
  let bytes = 0;
  let truncated = false;
  for (const { stamp, message } of inWindow) {
    const out = stamp === undefined ? message : `${stamp} ${message}`;
    const size = Buffer.byteLength(out) + 1;
    if (bytes + size > maxBytes) {
      truncated = true;
      break;
    }
    kept.push(out);
    bytes += size;
  }
  return { text: kept.map((line) => `${line}\n`).join(''), lines: kept.length, bytes, truncated: truncated || (cutAtLimit && !pastEnd) };
}
