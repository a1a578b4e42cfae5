import { createHash } from 'node:crypto';
import type { PatchView } from '../config/patches';
import { redactPatchText, redactSecretText, redactWholeText } from './redact-text';
import { redactCopies, secretValuesIn } from './secret-copies';

/** A text a reader without `admin` is shown: a string of a config or a value (redactWholeText), or a patch's text (redactPatchText). */
export interface ReaderText { text: string; inSecret: boolean; patch: boolean }

/**
 * Texts as a reader is shown them, each parsed whole: what libs/runtime's ReaderRedaction runs
 * on a worker thread for texts past MAX_PARSED_TEXT (up to it, redactSecretText and
 * redactPatchText parse them alike on the event loop).
 */
export function readerTextsShown(texts: ReaderText[]): string[] {
  return texts.map(({ text, inSecret, patch }) => (patch ? redactPatchText(text, inSecret) : redactWholeText(text, inSecret)));
}

/** Texts from this long on are known by their digest, not by themselves: the memory of what they showed holds their views, not a second copy of each. */
const KNOWN_BY_DIGEST_FROM = 4 * 1024;

/** How a text is read (a patch's or not, a Secret's or not): its views differ by it. */
export const readerTextKind = ({ inSecret, patch }: Pick<ReaderText, 'inSecret' | 'patch'>): string => `${patch ? 'P' : 'S'}${inSecret ? 1 : 0}`;

/** The name a reader's view of a text is kept under (ReaderRedaction's memory, one call's worker answers). */
export function readerTextKey(read: ReaderText): string {
  const { text } = read;
  const kind = readerTextKind(read);
  return text.length < KNOWN_BY_DIGEST_FROM ? `${kind}T${text}` : `${kind}H${createHash('sha256').update(text).digest('base64url')}`;
}

/**
 * Patches without their secrets: in the text, as `patchText` shows it (read as a Secret's when
 * the patch applies to one, its text may not say so; env values set by index hidden too: the
 * patch does not name the entry), and in the description, as the config-store keeps it for
 * readers (the values its command's patches hide, where it repeats them) or, for one recorded
 * before that was kept, without what its own patch hides.
 */
export function patchesAsReadersSee(patches: PatchView[], patchText: (text: string, inSecret: boolean) => string): PatchView[] {
  return patches.map(({ descriptionShown, ...p }) => {
    const inSecret = p.secretValues === true;
    return {
      ...p, patch: patchText(p.patch, inSecret),
      description: descriptionShown ?? redactCopies(redactSecretText(p.description), secretValuesIn(p.patch, inSecret)),
    };
  });
}
