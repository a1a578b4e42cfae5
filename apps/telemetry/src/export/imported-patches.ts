import { mayPatchSecret, REDACTED } from '@slipway/contracts';
import { importReaders } from './readers';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An imported configs.json as a reader is shown it. Its patches are read first: a patch's text
 * need not say what it patches (`stringData:` alone may be a Secret's), and the redaction by key
 * names alone, reading it as no Secret's, showed a Secret's values. The file is whatever was
 * uploaded, not only what an export writes (which holds no patch events).
 */
export async function importedConfigsShown(configs: Record<string, unknown>): Promise<Record<string, unknown>> {
  return importReaders.secrets(await withPatchesRead(configs) as Record<string, unknown>);
}

/**
 * A value with every `patch` text it holds, at any depth and of any size or format, read as a
 * Secret's unless what holds it names another kind (mayPatchSecret), on the readers' worker, as
 * the events API reads a patch event's. Where that hides anything, the descriptions beside it
 * (the holder's, or those of the list of patches holding it) are hidden whole: one may repeat a
 * hidden value, which only parsing every text here, on the event loop, would tell. Texts are
 * read one after another: each may wait for the worker, which refuses a read past those it lets wait.
 */
async function withPatchesRead(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) {
    const read: unknown[] = [];
    for (const item of value) read.push(await withPatchesRead(item));
    return read;
  }
  if (!isRecord(value)) return value;
  // Entries, not assignments: a parsed file's `__proto__` key is an own key to keep, not the copy's prototype.
  const read: Array<[string, unknown]> = [];
  for (const [key, v] of Object.entries(value)) read.push([key, key === 'patch' && typeof v === 'string' ? await patchTextShown(v, value.kind) : await withPatchesRead(v)]);
  const shown = Object.fromEntries(read);
  return hidesPatchValues(value, shown) ? withDescriptionsHidden(shown) : shown;
}

/** A patch's text as a reader is shown it: a Secret's unless `kind` names another kind. */
function patchTextShown(text: string, kind: unknown): Promise<string> {
  return importReaders.secrets(text, mayPatchSecret({ kind: typeof kind === 'string' ? kind : null }));
}

const patchesOf = (value: Record<string, unknown>): unknown[] => (Array.isArray(value.patches) ? value.patches : []);

/** Whether reading hid something of the holder's own patch text, or of one in its list of patches. */
function hidesPatchValues(value: Record<string, unknown>, shown: Record<string, unknown>): boolean {
  if (typeof value.patch === 'string' && shown.patch !== value.patch) return true;
  const before = patchesOf(value);
  return patchesOf(shown).some((patch, i) => isRecord(patch) && isRecord(before[i]) && typeof before[i].patch === 'string' && patch.patch !== before[i].patch);
}

const hiddenDescription = (holder: Record<string, unknown>): Record<string, unknown> =>
  (typeof holder.description === 'string' && holder.description !== '' ? { ...holder, description: REDACTED } : holder);

function withDescriptionsHidden(shown: Record<string, unknown>): Record<string, unknown> {
  const own = hiddenDescription(shown);
  return Array.isArray(shown.patches) ? { ...own, patches: shown.patches.map((patch) => (isRecord(patch) ? hiddenDescription(patch) : patch)) } : own;
}
