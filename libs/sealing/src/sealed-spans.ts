// What CommandSeals.prepare runs on a worker thread, in a module of its own: the worker loads
// this and the contracts alone.
import { sealedSpans, type Span, type TextIn } from '@slipway/contracts';

/** A text a command seals, and whether it is a Secret's (see redactSecretText). */
export type TextToSeal = TextIn;

/** Where each text holds secrets (sealedSpans), in the order given. */
export function sealedSpansOf(texts: TextToSeal[]): Array<Span[] | undefined> {
  return texts.map(({ text, inSecret }) => sealedSpans(text, inSecret));
}
