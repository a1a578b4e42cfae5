import path from 'node:path';
import { Readable } from 'node:stream';
import { OffLoop, OffLoopBusy } from '@slipway/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { yamlText, yamlTextOfJson } from './yaml-text';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

interface MediaRange { type: string; subtype: string; q: number; order: number }

/** Accept's media ranges, with their `q` (1 when absent); malformed ones are left out. */
function mediaRanges(accept: string): MediaRange[] {
  return accept.toLowerCase().split(',').flatMap((range, order) => {
    const [mediaType = '', ...parameters] = range.split(';').map((part) => part.trim());
    const [type, subtype] = mediaType.split('/');
    const qParameter = parameters.find((p) => /^q\s*=/.test(p));
    const q = qParameter === undefined ? 1 : Number(qParameter.replace(/^q\s*=\s*/, ''));
    return type && subtype && q >= 0 && q <= 1 ? [{ type, subtype, q, order }] : [];
  });
}

/** The range that decides a media type's quality: the most specific one matching it (type/subtype, then type/*, then *\/*). */
function decidingRange(ranges: MediaRange[], mediaType: string): MediaRange | undefined {
  const [type, subtype] = mediaType.split('/');
  const specificity = (r: MediaRange) => (r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1);
  return ranges.filter((r) => specificity(r) >= 0).sort((a, b) => specificity(b) - specificity(a) || a.order - b.order)[0];
}

/**
 * Does the client prefer YAML? Each type's quality comes from the most specific range of
 * Accept that matches it (RFC 9110: `application/json;q=0, *\/*` refuses JSON; `text/*`
 * reaches text/yaml); `q=0` means not acceptable. YAML when a YAML type is valued above
 * JSON, or as high by a range listed first; JSON otherwise (and with no Accept).
 */
export function wantsYaml(request: FastifyRequest): boolean {
  const ranges = mediaRanges(String(request.headers.accept ?? ''));
  const json = decidingRange(ranges, 'application/json');
  const yaml = YAML_TYPES.map((t) => decidingRange(ranges, t)).filter((r): r is MediaRange => r !== undefined)
    .sort((a, b) => b.q - a.q || a.order - b.order)[0];
  if (!yaml || yaml.q === 0) return false;
  if (!json || json.q === 0) return true;
  return yaml.q > json.q || (yaml.q === json.q && yaml.order < json.order);
}

/**
 * Answers holding more values than this, or more characters in their texts (keys and strings)
 * than WRITE_OFF_LOOP_FROM_CHARACTERS, are written as YAML on a worker thread: the writer takes
 * about 5 µs a value (a list of 200,000 held the event loop a second), JSON.stringify some 25
 * times less, and some 50 ns a character of long texts it escapes (30 targets with 256 KiB of
 * annotations each, 23.6 MB of YAML, held it 0.7–1.3 s: probe). The answer then streams,
 * without a Content-Length.
 */
export const WRITE_OFF_LOOP_FROM = 2_000;
export const WRITE_OFF_LOOP_FROM_CHARACTERS = 256 * 1024;
const offLoop = new OffLoop(path.join(__dirname, `yaml-text${path.extname(__filename)}`), { maxWaiting: 8 });

/** Written on the worker; with as many answers waiting for it as it takes, here (an answer is never refused for it: its command may be done). */
async function* writtenOffLoop(body: unknown): AsyncGenerator<string> {
  const json = JSON.stringify(body);
  yield await offLoop.run<string>('yamlTextOfJson', json).catch((error: unknown) => {
    if (error instanceof OffLoopBusy) return yamlTextOfJson(json);
    throw error;
  });
}

/**
 * Whether a value holds more than `values` values (lists and maps counted too) or more than
 * `characters` characters in its keys and strings; walks no further than it takes to tell.
 */
export function heavierThan(value: unknown, { values, characters }: { values: number; characters: number }): boolean {
  const pending: unknown[] = [value];
  let seen = 0;
  let text = 0;
  while (pending.length > 0) {
    const next = pending.pop();
    seen += 1;
    if (typeof next === 'string') text += next.length;
    if (seen > values || text > characters) return true;
    if (typeof next !== 'object' || next === null) continue;
    // What is pushed beyond what the bound can still take is never looked at.
    if (Array.isArray(next)) {
      for (let i = 0; i < next.length && seen + pending.length <= values; i += 1) pending.push(next[i]);
    } else {
      for (const key in next) {
        if (seen + pending.length > values) break;
        if (!Object.hasOwn(next, key)) continue;
        text += key.length;
        pending.push((next as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

/** Writes a body as YAML or JSON by the Accept header; a string body is sent as text. */
export function send(request: FastifyRequest, reply: FastifyReply, status: number, body: unknown): void {
  reply.status(status);
  // What an answer holds depends on the token that asked (an admin's shows secrets others see
  // redacted), and only Authorization keeps a shared cache from keeping one: the Instabase
  // Token and Nomad's X-Nomad-Token headers do not (RFC 9111 3.5). No answer is to be kept.
  reply.header('cache-control', 'no-store');
  if (typeof body === 'string') {
    void reply.type('text/plain; charset=utf-8').send(body);
    return;
  }
  // The same URL answers JSON or YAML by Accept: a shared cache must key on it.
  const vary = reply.getHeader('vary');
  reply.header('vary', vary ? `${String(vary)}, Accept` : 'Accept');
  if (wantsYaml(request)) {
    void reply.type('application/yaml').send(heavierThan(body, { values: WRITE_OFF_LOOP_FROM, characters: WRITE_OFF_LOOP_FROM_CHARACTERS }) ? Readable.from(writtenOffLoop(body)) : yamlText(body));
  } else {
    void reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
  }
}
