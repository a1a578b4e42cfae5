import path from 'node:path';
import { repeatablePartsOf, type Span } from '@slipway/contracts';
import type { Projection, Sql } from '@slipway/event-log';
import { OffLoop } from '@slipway/runtime';
import { refuseTokens, sealCopies, sealText, sealWhole, tokensIn, unsealText, type FoundSpans, type Sealed } from './seal-text';
import type { TextToSeal } from './sealed-spans';

/** The worker that finds where long texts hold secrets (sealed-spans.ts), one for the process. */
const spansOffLoop = new OffLoop(path.join(__dirname, `sealed-spans${path.extname(__filename)}`));

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
  /** Where texts hold secrets, worked out by prepare: by the text, then as a Secret's or not. */
  private readonly found = new Map<string, { secret?: FoundSpans; open?: FoundSpans }>();

  /** `offLoop`: the worker running sealed-spans.ts (the process's own, but in a test). */
  constructor(private readonly key: string, private readonly table: string, private readonly offLoop: OffLoop = spansOffLoop) {}

  /**
   * Works out on a worker thread where these texts hold secrets, for seal to use, when they
   * are long together (READ_OFF_LOOP_FROM on: an upload of one large document or of many
   * small ones): sealing parses a text and the strings inside it whatever their size
   * (sealedSpans), a few seconds per MiB at worst, which every other command of the service
   * would wait out on its event loop. Shorter ones, and a text sealed without it, are worked
   * out there when sealed.
   */
  async prepare(texts: Iterable<TextToSeal>): Promise<void> {
    const asked = new Map<string, TextToSeal>();
    let length = 0;
    for (const text of texts) {
      const key = `${text.inSecret ? 'secret' : 'open'} ${text.text}`;
      if (this.foundFor(text) || asked.has(key)) continue;
      asked.set(key, text);
      length += text.text.length;
    }
    const unknown = [...asked.values()];
    const spans = await this.offLoop.ahead<Span[] | undefined>('sealedSpansOf', unknown, length);
    if (!spans) return;
    unknown.forEach(({ text, inSecret }, i) => {
      const found = this.found.get(text) ?? {};
      found[inSecret ? 'secret' : 'open'] = { spans: spans[i] };
      this.found.set(text, found);
    });
  }

  /** The text as the command records it (sealText), its spans kept to be stored. */
  seal(text: string, inSecret: boolean, field: string): string {
    return this.keep(sealText(this.key, text, inSecret, field, this.foundFor({ text, inSecret })));
  }

  /** prepare, then seal each text as `field` names it (one holding a token refused first, before any is worked out). */
  async sealAll(texts: ReadonlyArray<TextToSeal & { field: string }>): Promise<string[]> {
    for (const { text, field } of texts) refuseTokens(text, field);
    await this.prepare(texts);
    return texts.map(({ text, inSecret, field }) => this.seal(text, inSecret, field));
  }

  /**
   * Free text written about the command (a patch's description), sealed as text is, and its
   * copies of the values the command sealed before it sealed too: a secret a patch holds is
   * no less secret where its writer repeats it. Seal the configs first.
   */
  sealNote(text: string, field: string): string {
    const sealed = sealText(this.key, text, false, field);
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

  private foundFor({ text, inSecret }: TextToSeal): FoundSpans | undefined {
    return this.found.get(text)?.[inSecret ? 'secret' : 'open'];
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
