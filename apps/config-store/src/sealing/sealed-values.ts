import type { Projection, Sql } from '@slipway/event-log';
import { sealText, tokensIn, unsealText } from './seal-text';

/**
 * The secret spans one command seals, to be stored with its events. Like setting_secrets,
 * `sealed_values` is a store, not a read model: no projection lists it, so a replay never
 * empties it, and it is what a replay reads the spans back from. The tables are named with
 * their schema: a rebuild's connection has no search path to the config schema, only its
 * own temporary tables.
 */
export class CommandSeals {
  private readonly values = new Map<string, string>();
  /** Text nested in a command's configs that sealing parses, at most this much in all. */
  private readonly budget = { left: 64 * 1024 };

  private constructor(private readonly key: string) {}

  /** Seals for one command, with the store's key. */
  static async open(sql: Sql): Promise<CommandSeals> {
    const key = (await sql.query<{ key: string }>('SELECT key FROM config.seal_key')).rows[0]?.key;
    if (!key) throw new Error('the config-store has no seal_key: its migrations have not run');
    return new CommandSeals(key);
  }

  /** The text as the command records it (sealText), its spans kept to be stored. */
  seal(text: string, inSecret: boolean, field: string): string {
    const sealed = sealText(this.key, text, inSecret, field, this.budget);
    for (const [token, original] of sealed.values) this.values.set(token, original);
    return sealed.text;
  }

  async store(tx: Sql): Promise<void> {
    if (this.values.size === 0) return;
    await tx.query(
      `INSERT INTO config.sealed_values (token, original) SELECT token, original FROM jsonb_to_recordset($1::jsonb) AS s(token text, original text)
       ON CONFLICT (token) DO NOTHING`,
      [JSON.stringify([...this.values].map(([token, original]) => ({ token, original })))],
    );
  }
}

/**
 * The projection, storing the command's sealed spans before it applies the events that
 * hold their tokens: it runs only when the command appends events, in their transaction,
 * so a refused command stores nothing.
 */
export function storingSeals(projection: Projection, seals: CommandSeals): Projection {
  return {
    ...projection,
    async apply(tx, events) {
      await seals.store(tx);
      await projection.apply(tx, events);
    },
  };
}

/** Sealed texts with their secret spans back, read from the store in one query. */
export async function unsealTexts(sql: Sql, texts: readonly string[]): Promise<string[]> {
  const tokens = [...new Set(texts.flatMap(tokensIn))];
  if (tokens.length === 0) return [...texts];
  const { rows } = await sql.query<{ token: string; original: string }>('SELECT token, original FROM config.sealed_values WHERE token = ANY($1::text[])', [tokens]);
  const values = new Map(rows.map((row) => [row.token, row.original]));
  return texts.map((text) => unsealText(text, values));
}
