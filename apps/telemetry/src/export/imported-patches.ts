import { mayPatchSecret, PatchesApplied } from '@slipway/contracts';
import { patchEventAsReadersSee } from '../audit/redact-event';
import { importReaders } from './readers';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An imported configs.json as a reader is shown it. Its patches are read first as the events
 * API reads them: a patch's text need not say what it patches (`stringData:` alone may be a
 * Secret's), and the redaction by key names alone, reading it as no Secret's, showed a
 * Secret's values. The file is whatever was uploaded, not only what an export writes.
 */
export async function importedConfigsShown(configs: Record<string, unknown>): Promise<Record<string, unknown>> {
  return importReaders.secrets(await withPatchesRead(configs) as Record<string, unknown>);
}

/**
 * A value with the patches it holds, at any depth, read as the events API reads them: a patch
 * event's list as it shows one (texts and descriptions), and any other `patch` text as a
 * Secret's unless what holds it names another kind (mayPatchSecret: one naming none may
 * target a Secret). Texts are read one after another: each may wait for the readers' worker,
 * which refuses a read past the ones it lets wait.
 */
async function withPatchesRead(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) {
    const read: unknown[] = [];
    for (const item of value) read.push(await withPatchesRead(item));
    return read;
  }
  if (!isRecord(value)) return value;
  const event = patchEventRead(value);
  if (event) return event;
  // Entries, not assignments: a parsed file's `__proto__` key is an own key to keep, not the copy's prototype.
  const read: Array<[string, unknown]> = [];
  for (const [key, v] of Object.entries(value)) read.push([key, key === 'patch' && typeof v === 'string' ? await patchTextShown(v, value.kind) : await withPatchesRead(v)]);
  return Object.fromEntries(read);
}

/** A patch event with its patches read as the events API reads them, or undefined when it is none or holds no list of patch texts (read then as any value). */
function patchEventRead(value: Record<string, unknown>): Record<string, unknown> | undefined {
  if (value.type !== PatchesApplied.type) return undefined;
  const data = patchEventAsReadersSee(value.data);
  return data === value.data ? undefined : { ...value, data };
}

/** A patch's text as a reader is shown it: a Secret's unless `kind` names another kind. */
function patchTextShown(text: string, kind: unknown): Promise<string> {
  return importReaders.secrets(text, mayPatchSecret({ kind: typeof kind === 'string' ? kind : null }));
}
