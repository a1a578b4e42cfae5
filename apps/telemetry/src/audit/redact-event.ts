import { isConfigPatch, mayPatchSecret, patchSecretValues, PatchesApplied, redactCopies, redactSecrets, redactSecretText, type LoggedEvent, type StoredPatch } from '@slipway/contracts';

/**
 * An event as the audit API and exports show it. Events should hold no secret (the settings
 * withhold theirs), but the log is append-only, older events may, and config objects and
 * patch text carry theirs (a Secret's data): all are replaced (redactSecrets).
 */
export function redactEvent(event: LoggedEvent): LoggedEvent {
  return { ...event, data: redactSecrets(event.type === PatchesApplied.type ? patchesAsReadersSee(event.data) : event.data) };
}

/**
 * A patch event's patches as the patch list shows them to a reader: the text of one naming no
 * kind read as a Secret's (it may target one), and the description without the values its
 * command's patches keep secret. Events recorded since 2026-12-05 hold neither in the clear
 * (both are sealed); older ones may.
 */
function patchesAsReadersSee(data: unknown): unknown {
  const patches = (data as { patches?: unknown } | null)?.patches;
  if (!Array.isArray(patches) || !patches.every(isPatchText)) return data;
  const hidden = patchSecretValues(patches);
  return {
    ...(data as object),
    patches: patches.map((p) => ({
      ...p,
      patch: isConfigPatch(p) && mayPatchSecret(p) ? redactSecretText(p.patch, true) : p.patch,
      description: redactCopies(redactSecretText(p.description), hidden),
    })),
  };
}

const isPatchText = (p: unknown): p is StoredPatch => {
  const { format, kind, patch, description } = (p ?? {}) as Partial<StoredPatch>;
  return typeof format === 'string' && (kind === null || typeof kind === 'string') && typeof patch === 'string' && typeof description === 'string';
};
