import type { PatchView } from '../config/patches';
import { redactPatchText, redactSecretText, redactWholeText } from './redact-text';
import { redactSecretsWith } from './redact-value';
import { RememberedTexts } from './remembered-texts';
import { redactCopies, secretValuesIn } from './secret-copies';

/**
 * What a reader without `admin` is shown of stored config (configs, patches, dry runs, an
 * export's configs): each text parsed whatever its size, as sealing parses it. The functions
 * are pure and take plain values, so that a caller may run them on a worker thread when what
 * it shows is large (libs/runtime reader-redaction.ts): a MiB of YAML takes the parser about a
 * second. Each thread keeps what it made of the texts it redacted last, by text: lists show
 * the same configs and patches again and again, and looking one up costs far less.
 */
const remembered = new RememberedTexts(16 * 1024 * 1024);
/** Shorter texts are redacted again on each read: the patterns alone, or a parse of a few lines, cost about what keeping them would. */
const REMEMBERED_FROM = 256;

function rememberedAs(kind: string, text: string, redact: () => string): string {
  return text.length < REMEMBERED_FROM ? redact() : remembered.get(`${kind}${text}`, redact);
}

const readerText = (text: string, inSecret: boolean): string => rememberedAs(inSecret ? 'S' : 's', text, () => redactWholeText(text, inSecret));

/** A JSON value with its secrets `[redacted]`, as redactSecrets does, its texts parsed whatever their size. */
export function secretsAsReadersSee(value: unknown, inSecret = false): unknown {
  return redactSecretsWith(value, readerText, inSecret);
}

/** Texts each with its secrets `[redacted]`, as secretsAsReadersSee shows a string (a list of strings would be read as a command line's). */
export function textsAsReadersSee(texts: string[]): string[] {
  return texts.map((text) => secretsAsReadersSee(text) as string);
}

/**
 * Patches without their secrets: in the text, read as a Secret's when the patch applies to one
 * (its text may not say so), env values set by index hidden too (the patch does not name the
 * entry); and in the description, as the config-store keeps it for readers (the values its
 * command's patches hide, where it repeats them) or, for one recorded before that was kept,
 * without what its own patch hides.
 */
export function patchesAsReadersSee(patches: PatchView[]): PatchView[] {
  return patches.map(({ descriptionShown, ...p }) => {
    const inSecret = p.secretValues === true;
    return {
      ...p, patch: rememberedAs(inSecret ? 'P' : 'p', p.patch, () => redactPatchText(p.patch, inSecret)),
      description: descriptionShown ?? redactCopies(redactSecretText(p.description), secretValuesIn(p.patch, inSecret)),
    };
  });
}
