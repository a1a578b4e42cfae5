import { redactSecretText } from '@slipway/contracts';

/**
 * redactSecretText kept for the strings of one event: a patch event's patches share one
 * description, and the walk over the whole event meets again the patch texts already read
 * for their secret values. What is read once is not parsed again.
 */
export class RedactedTexts {
  private readonly read = { true: new Map<string, string>(), false: new Map<string, string>() };

  /** redactSecretText(text, inSecret), each string read at most once. */
  readonly redact = (text: string, inSecret: boolean): string => {
    const known = this.read[`${inSecret}`];
    let redacted = known.get(text);
    if (redacted === undefined) known.set(text, (redacted = redactSecretText(text, inSecret)));
    return redacted;
  };

  /** Records what redactSecretText made of a text, read another way along with something else. */
  remember(text: string, inSecret: boolean, redacted: string): void {
    this.read[`${inSecret}`].set(text, redacted);
  }
}
