import { replaceSecrets } from '@slipway/contracts';
import type { Sql } from '@slipway/event-log';
import type { CommandSeals, SealStore } from './seal-store';
import { refuseTokens } from './seal-text';

export type StringMap = Readonly<Record<string, string>>;

/**
 * A map of strings (annotations) as the log records it: what the redaction rules hide in
 * it (redactSecrets: a value under a secret-named key, an env-entry-shaped pair, and in any
 * other value the secrets its text holds, a URL's password say) sealed, the rest as sent.
 * `field` names the map in a refusal: a value holding a token is refused by its own key.
 */
export function sealMap(map: StringMap, seals: CommandSeals, field: string): Record<string, string> {
  for (const [key, value] of Object.entries(map)) refuseTokens(value, `${field}.${key}`);
  return replaceSecrets(map, {
    value: (secret) => seals.sealWhole(secret as string),
    text: (text, inSecret) => seals.seal(text, inSecret, field),
  }) as Record<string, string>;
}

/** Sealed maps with their values back, from the store in one query (none when they hold no token). */
export async function unsealMaps(store: SealStore, sql: Sql, maps: readonly StringMap[]): Promise<Array<Record<string, string>>> {
  const entries = maps.map((map) => Object.entries(map));
  const values = await store.unsealTexts(sql, entries.flatMap((pairs) => pairs.map(([, value]) => value)));
  let next = 0;
  return entries.map((pairs) => Object.fromEntries(pairs.map(([key]) => [key, values[next++]!])));
}
