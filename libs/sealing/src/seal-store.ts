import { repeatablePartsOf } from '@slipway/contracts';
import type { Projection, Sql } from '@slipway/event-log';
import { sealCopies, sealText, sealWhole, tokensIn, unsealText, type Sealed } from './seal-text';

/**
 * Where a service keeps the secrets its commands seal, schema and all: a rebuild's
 * connection has no search path to the service's schema, only its own temporary tables.
 * `values` (token, original) is a store, not a read model: no projection lists it, so a
 * replay never empties it, and it is what a replay reads the spans back from. `key` holds
 * the one row keying the tokens, made by the service's migrations and never shown.
 */
export interface SealTables {
  values: string;
  key: string;
}

/** One service's store of sealed values: opens a command's seals, and gives texts their spans back. */
export class SealStore {
  /** The key as each connection pool read it: it never changes once made, so it is read once per pool, not per command. */
  private readonly keys = new WeakMap<Sql, string>();

  constructor(private readonly tables: SealTables) {}

  /** Seals for one command, with the store's key. */
  async open(sql: Sql): Promise<CommandSeals> {
    let key = this.keys.get(sql);
    if (key === undefined) {
      key = (await sql.query<{ key: string }>(`SELECT key FROM ${this.tables.key}`)).rows[0]?.key;
      if (!key) throw new Error(`${this.tables.key} holds no key: the service's migrations have not run`);
      this.keys.set(sql, key);
    }
    return new CommandSeals(key, this.tables.values);
  }

  /** Sealed texts with their secret spans back, read from the store in one query (none when they hold no token). */
  async unsealTexts(sql: Sql, texts: readonly string[]): Promise<string[]> {
    const tokens = [...new Set(texts.flatMap(tokensIn))];
    if (tokens.length === 0) return [...texts];
    const { rows } = await sql.query<{ token: string; original: string }>(`SELECT token, original FROM ${this.tables.values} WHERE token = ANY($1::text[])`, [tokens]);
    const values = new Map(rows.map((row) => [row.token, row.original]));
    return texts.map((text) => unsealText(text, values));
  }
}

/** The secret spans one command seals, to be stored with its events (storingSeals). */
export class CommandSeals {
  private readonly values = new Map<string, string>();
  /** Text nested in a command's texts that sealing parses, at most this much in all. */
  private readonly budget = { left: 64 * 1024 };

  constructor(private readonly key: string, private readonly table: string) {}

  /** The text as the command records it (sealText), its spans kept to be stored. */
  seal(text: string, inSecret: boolean, field: string): string {
    return this.keep(sealText(this.key, text, inSecret, field, this.budget));
  }

  /**
   * Free text written about the command (a patch's description), sealed as text is, and its
   * copies of the values the command sealed before it sealed too: a secret a patch holds is
   * no less secret where its writer repeats it. Seal the configs first.
   */
  sealNote(text: string, field: string): string {
    const sealed = sealText(this.key, text, false, field, this.budget);
    return this.keep(sealCopies(this.key, sealed, [...this.values.values()].flatMap(repeatablePartsOf)));
  }

  /** A value secret as a whole, as one token; an empty one stays empty (that it is unset is no secret). */
  sealWhole(text: string): string {
    return text === '' ? text : this.keep(sealWhole(this.key, text));
  }

  /** Whether the command sealed nothing (it has nothing to store). */
  get empty(): boolean {
    return this.values.size === 0;
  }

  async store(tx: Sql): Promise<void> {
    if (this.empty) return;
    await tx.query(
      `INSERT INTO ${this.table} (token, original) SELECT token, original FROM jsonb_to_recordset($1::jsonb) AS s(token text, original text)
       ON CONFLICT (token) DO NOTHING`,
      [JSON.stringify([...this.values].map(([token, original]) => ({ token, original })))],
    );
  }

  private keep(sealed: Sealed): string {
    for (const [token, original] of sealed.values) this.values.set(token, original);
    return sealed.text;
  }
}

/**
 * The projection, storing the command's sealed spans before it applies the events that
 * hold their tokens: it runs only when the command appends events, in their transaction,
 * so a refused command stores nothing. It reads the spans back from the store in that
 * transaction, which a write-only projection is not given (its statements are sent with
 * the commit): it stays write-only only while the command sealed nothing, as known once
 * the command is decided (a command may seal in its `command`, UpdateBaseImage does).
 */
export function storingSeals(projection: Projection, seals: CommandSeals): Projection {
  return {
    ...projection,
    get writesOnly() {
      return projection.writesOnly === true && seals.empty;
    },
    async apply(tx, events) {
      await seals.store(tx);
      await projection.apply(tx, events);
    },
  };
}
