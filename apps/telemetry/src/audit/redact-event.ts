import { isConfigPatch, mayPatchSecret, PatchesApplied, REDACTED, redactCopies, redactedWithSecretValues, redactSecretsWith, redactTextPatterns, tokenStreamId, type LoggedEvent, type StoredPatch } from '@slipway/contracts';
import { RedactedTexts } from './redacted-texts';

/**
 * An event as the audit API and exports show it. Events should hold no secret (the settings
 * withhold theirs), but the log is append-only, older events may, and config objects and
 * patch text carry theirs (a Secret's data): all are replaced (redactSecrets). Each string
 * is redacted once for the event (RedactedTexts): a page of patch events of megabytes
 * each held the event loop for seconds per event when each text was parsed three times.
 */
export function redactEvent(event: LoggedEvent): LoggedEvent {
  const texts = new RedactedTexts();
  const data = redactSecretsWith(event.type === PatchesApplied.type ? patchesAsReadersSee(event.data, texts) : event.data, texts.redact);
  return { ...event, metadata: idsShown(event.metadata), data: tokenIdShown(event, data) };
}

/**
 * A token event's `tokenHash` as its stream shows it: the token's id (the SHA-256 of 32 random
 * bytes, not the token), which readers see in the stream's name and the actor's `tokenId`;
 * named like a secret, the redaction had hidden it. Only where it is that stream's id.
 */
function tokenIdShown(event: LoggedEvent, data: unknown): unknown {
  const tokenHash = (event.data as { tokenHash?: unknown } | null)?.tokenHash;
  if (typeof tokenHash !== 'string' || event.streamId !== tokenStreamId(tokenHash) || typeof data !== 'object' || data === null) return data;
  return { ...data, tokenHash };
}

const IDS = ['commandId', 'correlationId', 'causationId'] as const;

/**
 * The command's ids as readers see them: a command published on NATS names its own, and one
 * that reads as a secret (`db-password:…`, a URL's password) is shown `[redacted]`, as a
 * value would be. Such ids are refused everywhere since 2026-12-08 (the gateway refused such
 * an X-Correlation-Id before); filters find one recorded before by what was written.
 */
function idsShown(metadata: Record<string, unknown>): Record<string, unknown> {
  const hidden = IDS.filter((key) => typeof metadata[key] === 'string' && redactTextPatterns(metadata[key]) !== metadata[key]);
  return hidden.length === 0 ? metadata : { ...metadata, ...Object.fromEntries(hidden.map((key) => [key, REDACTED])) };
}

/**
 * A patch event's patches as the patch list shows them to a reader: the text of one naming no
 * kind read as a Secret's (it may target one), and the description without the values its
 * command's patches keep secret. Events recorded since 2026-12-05 hold neither in the clear
 * (both are sealed); older ones may. Each patch's text is parsed once for both its values
 * and what a reader sees; the description, shared by the command's patches, is redacted once.
 */
function patchesAsReadersSee(data: unknown, texts: RedactedTexts): unknown {
  const patches = (data as { patches?: unknown } | null)?.patches;
  if (!Array.isArray(patches) || !patches.every(isPatchText)) return data;
  const read = patches.map((p) => {
    if (!isConfigPatch(p)) return undefined;
    const { redacted, values } = redactedWithSecretValues(p.patch, mayPatchSecret(p));
    texts.remember(p.patch, mayPatchSecret(p), redacted);
    return { redacted, values };
  });
  const hidden = new Set(read.flatMap((r) => r?.values ?? []));
  const descriptions = new Map<string, string>();
  const described = (description: string): string => {
    let shown = descriptions.get(description);
    if (shown === undefined) descriptions.set(description, (shown = redactCopies(texts.redact(description, false), hidden)));
    return shown;
  };
  return {
    ...(data as object),
    patches: patches.map((p, i) => ({
      ...p,
      patch: isConfigPatch(p) && mayPatchSecret(p) ? read[i]!.redacted : p.patch,
      description: described(p.description),
    })),
  };
}

const isPatchText = (p: unknown): p is StoredPatch => {
  const { format, kind, patch, description } = (p ?? {}) as Partial<StoredPatch>;
  return typeof format === 'string' && (kind === null || typeof kind === 'string') && typeof patch === 'string' && typeof description === 'string';
};
