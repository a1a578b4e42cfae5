import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogFiltered, START, type RecordedEvent, type Sql } from '@slipway/event-log';
import { strToU8, zipSync } from 'fflate';
import type { ExportRequest, TelescopeFiles } from './telescope.decider';

/** At most this many audit events go into one export. */
export const MAX_EXPORTED_EVENTS = 5_000;

const SECRET_KEY = /secret|passw(or)?d|token|api[-_]?key|credential|private[-_]?key|authorization|cookie/i;
export const REDACTED = '[redacted]';

const SECRET_LINE = /^(\s*-?\s*["']?[\w.-]*(?:secret|passw(?:or)?d|token|api[-_]?key|credential|private[-_]?key)[\w.-]*["']?\s*[:=]\s*).+$/gim;

/**
 * A copy with every value under a secret-looking key replaced, and in text (configs as
 * YAML, env files) every `key: value` / `KEY=value` line with such a key: secrets never
 * leave in an export.
 */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(SECRET_LINE, `$1${REDACTED}`);
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v)]));
  }
  return value;
}

/** A stable UUID-shaped id from a command id, so a retried command names the same job. */
export function jobIdOf(commandId: string): string {
  const h = createHash('sha256').update(commandId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const exportedEvent = (e: RecordedEvent) => ({ position: e.position, stream: e.streamId, type: e.type, occurredAt: e.metadata.occurredAt, actor: e.metadata.actor, data: redact(e.data) });

/**
 * The export's files, from the audit log of [start, end): LOGS → the events themselves,
 * STATS → event counts per type, CONFIGS → the config events of the range; always a
 * manifest (the request) that an import reads back.
 */
export async function collect(sql: Sql, request: ExportRequest): Promise<TelescopeFiles> {
  const events = await readLogFiltered(sql, START, { limit: MAX_EXPORTED_EVENTS, since: request.start, until: request.end });
  const own = events.filter((e) => !e.type.startsWith('telemetry.'));
  const files: TelescopeFiles = { 'manifest.json': { ...request } };
  if (request.data_sources.includes('LOGS')) files['logs.json'] = own.map(exportedEvent);
  if (request.data_sources.includes('STATS')) {
    const counts: Record<string, number> = {};
    for (const e of own) counts[e.type] = (counts[e.type] ?? 0) + 1;
    files['stats.json'] = { events: own.length, truncated: events.length >= MAX_EXPORTED_EVENTS, byType: counts };
  }
  if (request.data_sources.includes('CONFIGS')) {
    const configs: Record<string, unknown> = {};
    for (const e of own.filter((x) => /config/i.test(x.type))) configs[`${e.streamId}@${e.position}`] = { type: e.type, data: redact(e.data) };
    files['configs.json'] = configs;
  }
  return files;
}

/** Writes the files as a .zip in a fresh temp directory, as the document's zip_file_path shows. */
export function writeZip(id: string, files: TelescopeFiles, root = tmpdir()): string {
  const dir = join(root, `telescope-${createHash('sha256').update(id).digest().readUInt32BE(0)}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${id}.zip`);
  writeFileSync(path, zipSync(Object.fromEntries(Object.entries(files).map(([name, v]) => [name, strToU8(JSON.stringify(v, null, 2))]))));
  return path;
}
