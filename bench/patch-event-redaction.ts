import { patternSpans } from '@slipway/contracts';
import { parseAllDocuments } from 'yaml';
import { redactEvent } from '../apps/telemetry/src/audit/redact-event';
import { timedSecond } from './stats';

/**
 * (h) What the audit API pays to show one large `patch.applied.v1` event to a reader: the
 * whole redaction (redactEvent) against parsing the event's patch texts once each, the least
 * any reading of them costs. Three shapes: JSON patches, YAML Secret patches, and many small
 * Secret patches sharing one description. Each timed twice, the second kept.
 */
export interface PatchRedactionResult { shape: string; bytes: number; redactMs: number; parseMs: number }

interface Patch { version: number; target: string; format: 'JSON' | 'YAML'; kind: string | null; patch: string; description: string }

const eventOf = (patches: Patch[]) => ({
  position: 1, eventId: 'bench', streamId: 'patches', streamVersion: 1, type: 'patch.applied.v1', data: { patches, createdBy: 'bench', createdAt: '2026-12-01T00:00:00.000Z' },
  metadata: { commandId: 'bench', correlationId: 'bench', actor: { principal: 'bench', kind: 'token' }, schemaVersion: 1, occurredAt: '2026-12-01T00:00:00.000Z' },
});

function shapes(): Array<{ shape: string; patches: Patch[] }> {
  const operations = JSON.stringify({ kind: 'ConfigMap', target: 'cm', patch: Array.from({ length: 300 }, (_, i) => ({ op: 'add', path: `/data/k${i}`, value: `v${'y'.repeat(60)}${i}` })) });
  const secretYaml = Array.from({ length: 600 }, (_, i) => `  key${i}: value-${'z'.repeat(40)}-${i}`).join('\n');
  const description = Array.from({ length: 80 }, (_, i) => `rotated key ${i}`).join('; ');
  return [
    { shape: '64 JSON patches of 30 KiB', patches: Array.from({ length: 64 }, (_, i) => ({ version: i + 1, target: 'cm', format: 'JSON', kind: 'ConfigMap', patch: operations, description: 'bench' })) },
    { shape: '64 YAML Secret patches of 32 KiB', patches: Array.from({ length: 64 }, (_, i) => ({ version: i + 1, target: `s${i}`, format: 'YAML', kind: null, patch: `kind: Secret\nstringData:\n${secretYaml}`, description: 'rotate' })) },
    { shape: '2,000 small Secret patches, one 1 KiB description', patches: Array.from({ length: 2_000 }, (_, i) => ({ version: i + 1, target: `s${i}`, format: 'YAML', kind: 'Secret', patch: `kind: Secret\nstringData:\n  a: Av${i}q9ZtLmW3\n  b: Bv${i}q9ZtLmW3`, description })) },
  ];
}


export function patchRedactionBench(): PatchRedactionResult[] {
  return shapes().map(({ shape, patches }) => {
    const event = eventOf(patches);
    return {
      shape, bytes: JSON.stringify(event).length,
      redactMs: timedSecond(() => redactEvent(event as never)),
      parseMs: timedSecond(() => { for (const p of patches) parseAllDocuments(p.patch); }),
    };
  });
}

/**
 * The text patterns (patternSpans, which every log line and unparsed text goes through) on
 * hostile text about secret flags (`--token` then a value), against the same patterns on a
 * plain log of the same length: a pattern that backtracks shows as a ratio far above 1.
 */
export interface HostileTextResult { shape: string; bytes: number; hostileMs: number; plainMs: number }

export function hostileFlagTextBench(): HostileTextResult[] {
  const plainLine = '2026-12-01T00:00:00.000Z INFO served GET /api/v1/namespaces/default/deployment-targets 200 in 3 ms\n';
  const hostile: Array<[string, string]> = [
    ['blanks after a flag, then a flag', `--token${' '.repeat(1_000_000)}-`],
    ['flags in a flow list', '--token, '.repeat(120_000)],
    ['a block list of flags', '- --token\n'.repeat(100_000)],
    ['a run of dashes before a flag', `${'-'.repeat(1_000_000)}token x`],
    ['blanks around commas after flags', `--token${' '.repeat(50)},${' '.repeat(50)}`.repeat(10_000)],
  ];
  return hostile.map(([shape, text]) => {
    const plain = plainLine.repeat(Math.ceil(text.length / plainLine.length)).slice(0, text.length);
    return { shape, bytes: text.length, hostileMs: timedSecond(() => patternSpans(text)), plainMs: timedSecond(() => patternSpans(plain)) };
  });
}
