import { DomainError, duplicateJsonKey, shownKey } from '@slipway/contracts';

/** Refuses JSON text with a key twice in one object, naming it (`what`: how the refusal starts, "malformed JSON"). */
export function refuseDuplicateKeys(text: string, what: string): void {
  const twice = duplicateJsonKey(text);
  if (twice) throw new DomainError('invalid', `${what}: the key "${shownKey(twice.key)}" appears twice in one object (${shownKey(twice.path)})`, shownKey(twice.path));
}
