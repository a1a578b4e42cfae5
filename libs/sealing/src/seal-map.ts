import { replaceSecrets, textsIn } from '@slipway/contracts';
import type { Sql } from '@slipway/event-log';
import type { CommandSeals, SealStore } from './seal-store';
import { refuseTokens } from './seal-text';

export type StringMap = Readonly<Record<string, string>>;

/**
 * A map of strings (annotations) as the log records it: what the redaction rules hide in
 * it (redactSecrets: a value under a secret-named key, an env-entry-shaped pair, and in any
 * other value the secrets its text holds, a URL's password say) sealed, the rest as sent.
 * `field` names the map in a refusal: a value holding a token is refused by its own key.
 * Long values are worked out off the event loop first (CommandSeals.prepare).
 */
export async function sealMap(map: StringMap, seals: CommandSeals, field: string): Promise<Record<string, string>> {
  for (const [key, value] of Object.entries(map)) refuseTokens(value, `${field}.${key}`);
  await seals.prepare(textsIn(map));
  return replaceSecrets(map, {
    value: (secret) => seals.sealWhole(secret as string),
    text: (text, inSecret) => seals.seal(text, inSecret, field),
  }) as Record<string, string>;
}

/** Sealed maps with their values back, from the store in one query (none when they hold no token). */
export function unsealMaps(store: SealStore, sql: Sql, maps: readonly StringMap[]): Promise<Array<Record<string, string>>> {
  return unsealValue(store, sql, maps as Array<Record<string, string>>);
}

/**
 * A value (a manifest, say) with every string's sealed spans back, from the store in one
 * query; strings without tokens, and everything else, as they are.
 */
export async function unsealValue<T>(store: SealStore, sql: Sql, value: T): Promise<T> {
  const texts: string[] = [];
  const collect = (inner: unknown): void => {
    if (typeof inner === 'string') texts.push(inner);
    else if (inner !== null && typeof inner === 'object') Object.values(inner).forEach(collect);
  };
  collect(value);
  const values = await store.unsealTexts(sql, texts);
  let next = 0;
  // Walked in the order collected (Object.values and Object.entries agree).
  const rebuild = (inner: unknown): unknown => {
    if (typeof inner === 'string') return values[next++]!;
    if (Array.isArray(inner)) return inner.map(rebuild);
    if (inner !== null && typeof inner === 'object') return Object.fromEntries(Object.entries(inner).map(([key, v]) => [key, rebuild(v)]));
    return inner;
  };
  return rebuild(value) as T;
}
