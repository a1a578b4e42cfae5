import { LogBudget } from './log-budget';
import { boundLog, sinceTimeOf } from './log-window';
import { REDACTED } from '@slipway/contracts';

const at = (iso: string) => Date.parse(iso);
const window = { start: at('2026-01-01T10:00:00.500Z'), end: at('2026-01-01T11:00:00Z') };
const line = (time: string, message: string) => `${time} ${message}\n`;

describe('boundLog', () => {
  const raw = [
    line('2026-01-01T10:00:00.100000000Z', 'before start, same second as sinceTime'),
    line('2026-01-01T10:00:00.600000000Z', 'first in window'),
    line('2026-01-01T10:30:00.000000000Z', 'DB_PASSWORD=hunter2'),
    line('2026-01-01T11:00:00.000000000Z', 'at the end: outside'),
    line('2026-01-01T11:30:00.000000000Z', 'after the end'),
  ].join('');

  it('keeps the lines of [start, end) with their timestamps, messages redacted', () => {
    expect(boundLog(raw, window, 10_000, false)).toEqual({
      text: line('2026-01-01T10:00:00.600000000Z', 'first in window') + line('2026-01-01T10:30:00.000000000Z', `DB_PASSWORD=${REDACTED}`),
      lines: 2, bytes: Buffer.byteLength(line('2026-01-01T10:00:00.600000000Z', 'first in window') + line('2026-01-01T10:30:00.000000000Z', `DB_PASSWORD=${REDACTED}`)), truncated: false,
    });
  });

  it('redacts secrets that run over several lines, each line keeping its timestamp', () => {
    const t = (s: number) => `2026-01-01T10:40:0${s}.000000000Z`;
    const dumped = [
      line(t(0), 'config at start:'), line(t(1), '-----BEGIN RSA PRIVATE KEY-----'), line(t(2), 'MIIEpemBody41'), line(t(3), '-----END RSA PRIVATE KEY-----'),
      line(t(4), 'tls.key: |'), line(t(5), '  blockBody41'), line(t(6), 'env:'), line(t(7), '- name: DB_PASSWORD'), line(t(8), '  value: envValue41'), line(t(9), 'done'),
    ].join('');
    const { text, lines } = boundLog(dumped, window, 10_000, false);
    expect(text).not.toMatch(/pemBody41|blockBody41|envValue41/);
    expect(lines).toBe(10);
    expect(text.split('\n').slice(0, 10).every((kept, i) => kept.startsWith(`${t(i)} `))).toBe(true);
    expect(text).toContain(line(t(9), 'done'));
    expect(text).toContain(line(t(7), '- name: DB_PASSWORD'));
  });

  it('stops at the byte bound and says so', () => {
    const bounded = boundLog(raw, window, 60, false);
    expect(bounded).toMatchObject({ lines: 1, truncated: true });
    expect(bounded.text).toContain('first in window');
    expect(bounded.bytes).toBeLessThanOrEqual(60);
  });

  it('drops a line the server cut at limitBytes, and calls the log truncated unless the window\'s end was seen', () => {
    const cut = line('2026-01-01T10:00:00.600000000Z', 'first in window') + '2026-01-01T10:30:00.000000000Z DB_PASS';
    expect(boundLog(cut, window, 10_000, true)).toMatchObject({ lines: 1, truncated: true });
    expect(boundLog(`${raw}2026-01-01T11:40:00.000000000Z cut`, window, 10_000, true)).toMatchObject({ lines: 2, truncated: false });
  });

  it('keeps a line without a timestamp with the line before it', () => {
    const text = line('2026-01-01T10:00:00.600000000Z', 'panic:') + 'stack frame\n' + line('2026-01-01T11:30:00Z', 'late') + 'late frame\n';
    expect(boundLog(text, window, 10_000, false).text).toBe(line('2026-01-01T10:00:00.600000000Z', 'panic:') + 'stack frame\n');
  });

  it('asks the server from the start, rounded down to the second', () => {
    expect(sinceTimeOf(window.start)).toBe('2026-01-01T10:00:00Z');
  });
});

describe('LogBudget', () => {
  it('grants what is left for the pod and in all, and nothing past the file count', () => {
    const budget = new LogBudget({ maxBytesPerPod: 100, maxBytesTotal: 150, maxFiles: 3 });
    expect(budget.allowance('a')).toBe(100);
    budget.spend('a', 70);
    expect(budget.allowance('a')).toBe(30);
    expect(budget.allowance('b')).toBe(80);
    budget.spend('b', 80);
    expect(budget.allowance('c')).toBe(0);
    expect(budget.bytes).toBe(150);
    const files = new LogBudget({ maxBytesPerPod: 100, maxBytesTotal: 1_000, maxFiles: 1 });
    files.spend('a', 0);
    expect(files.allowance('b')).toBe(0);
  });
});

describe('boundLog of a private key cut at an edge', () => {
  const BEGIN = '-----BEGIN RSA PRIVATE KEY-----';
  const END = '-----END RSA PRIVATE KEY-----';
  const t = (s: number) => `2026-01-01T10:40:${String(s).padStart(2, '0')}.000000000Z`;
  const key = [BEGIN, 'MIIEkeyBodyA41', 'MIIEkeyBodyB41', END].map((message, i) => line(t(10 + i), message)).join('');
  const from = (s: number) => at(t(s));

  it('hides its body when the window starts after its BEGIN line or ends before its END line', () => {
    const { text: tail } = boundLog(key, { start: from(11), end: window.end }, 10_000, false);
    expect(tail).toBe(line(t(11), REDACTED) + line(t(12), REDACTED) + line(t(13), END));
    const { text: head } = boundLog(key, { start: window.start, end: from(12) }, 10_000, false);
    expect(head).toBe(line(t(10), BEGIN) + line(t(11), REDACTED));
  });

  it('hides its body when the server cut it: BEGIN before sinceTime, END past limitBytes', () => {
    const afterBegin = key.slice(key.indexOf('\n') + 1);
    expect(boundLog(afterBegin, window, 10_000, false).text).toBe(line(t(11), REDACTED) + line(t(12), REDACTED) + line(t(13), END));
    const cut = key.slice(0, key.indexOf(END) + 3);
    expect(boundLog(cut, window, 10_000, true)).toMatchObject({ text: line(t(10), BEGIN) + line(t(11), REDACTED) + line(t(12), REDACTED), truncated: true });
  });

  it('hides its body when the byte bound stops before its END line', () => {
    const bounded = boundLog(key, window, line(t(10), BEGIN).length + line(t(11), REDACTED).length, false);
    expect(bounded).toMatchObject({ text: line(t(10), BEGIN) + line(t(11), REDACTED), truncated: true });
  });
});
