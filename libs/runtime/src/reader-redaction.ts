import path from 'node:path';
import {
  DomainError, MAX_PARSED_TEXT, patchesAsReadersSee, redactPatchText, redactSecretsWith, redactSecretText, readerTextKey, readerTextKind, RememberedTexts, textsIn,
  type PatchView, type ReaderText,
} from '@slipway/contracts';
import { OffLoop, OffLoopBusy } from './off-loop';

/** The module whose functions the worker runs: the contracts' reader views, in the same layout (sources in a test run, the build's JavaScript otherwise). */
export const READER_VIEWS = path.resolve(__dirname, `../../contracts/src/redaction/reader-views${path.extname(__filename)}`);

/**
 * Patch texts, and other texts from this long on, are remembered once shown: patch lists and
 * searches show the same ones again and again (a search shows up to 10,000), and a lookup costs
 * far less than a parse; a config's names and labels are not worth keeping.
 */
const REMEMBERED_FROM = 256;
/** What is remembered of a text whose view is the text itself (NUL: no stored text holds one, Postgres refuses it). */
const SAME = '\u0000';

/** A read's views of its long texts: by the text, then by how it is read (readerTextKind). */
type WholeViews = Map<string, Map<string, string>>;

/**
 * Stored config as a reader without `admin` is shown it (redactSecrets' rules), each text
 * parsed whatever its size, as sealing parses it. A text up to MAX_PARSED_TEXT is redacted at
 * once, as always; longer ones, which the events API's redaction judges by the patterns alone
 * (missing an alias standing for a password, a complex or escaped key), go to a worker thread,
 * all of a read's in one call, one read at a time: a MiB of YAML takes the parser about a
 * second, which every other request of the process would wait out. At most `maxWaiting` reads
 * wait for it (each holding a copy of its long texts); one more is refused `unavailable`,
 * "retry shortly", having shown nothing. What each text showed is remembered (a view that
 * hides nothing, as a mark), 32 Mi characters of them, the least recently used let go first;
 * a text being worked out for one read is waited for by the others.
 */
export class ReaderRedaction {
  private readonly offLoop: OffLoop;
  private readonly shown = new RememberedTexts(32 * 1024 * 1024);
  /** Long texts being worked out, by key: a read that needs one waits for it rather than asking the worker again. */
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(maxWaiting = 16) {
    this.offLoop = new OffLoop(READER_VIEWS, { maxWaiting });
  }

  /** A JSON value with its secrets `[redacted]`. */
  async secrets<T>(value: T, inSecret = false): Promise<T> {
    // A first walk finds the long texts and where they sit (a Secret's or not); the second shows them.
    const long = textsIn(value, inSecret).filter(({ text }) => text.length > MAX_PARSED_TEXT).map((read): ReaderText => ({ ...read, patch: false }));
    const whole = await this.wholeTexts(long);
    return redactSecretsWith(value, (text, below) => this.textShown({ text, inSecret: below, patch: false }, whole), inSecret) as T;
  }

  /** Texts each with its secrets `[redacted]`, as `secrets` shows a string (a list of strings would be read as a command line's). */
  async texts(texts: string[]): Promise<string[]> {
    const whole = await this.wholeTexts(texts.filter((text) => text.length > MAX_PARSED_TEXT).map((text) => ({ text, inSecret: false, patch: false })));
    return texts.map((text) => redactSecretsWith(text, (t, below) => this.textShown({ text: t, inSecret: below, patch: false }, whole)) as string);
  }

  /** Patches with the secrets of their texts and descriptions `[redacted]` (contracts' patchesAsReadersSee). */
  async patches(patches: PatchView[]): Promise<PatchView[]> {
    const whole = await this.wholeTexts(patches.filter((p) => p.patch.length > MAX_PARSED_TEXT).map((p) => ({ text: p.patch, inSecret: p.secretValues === true, patch: true })));
    return patchesAsReadersSee(patches, (text, inSecret) => this.textShown({ text, inSecret, patch: true }, whole));
  }

  /**
   * Patches' descriptions as `patches` shows them, their texts not worked out (nor sent to the
   * worker): what a list showing descriptions alone needs. A description kept for readers is
   * shown as kept; one of a patch recorded before that (2026-12-05) is redacted here, without
   * the values its own patch hides.
   */
  descriptions(patches: PatchView[]): string[] {
    return patchesAsReadersSee(patches, (text) => text).map((p) => p.description);
  }

  close(): Promise<void> {
    return this.offLoop.close();
  }

  /** A text as shown: a long one as the worker gave it (this read's answers), a shorter one redacted here (and remembered). */
  private textShown(read: ReaderText, whole: WholeViews): string {
    if (read.text.length > MAX_PARSED_TEXT) {
      const given = whole.get(read.text)?.get(readerTextKind(read));
      // Never the bounded view in its place: that is what hid too little.
      if (given === undefined) throw new Error('a long text was not worked out before it was shown');
      return given;
    }
    const redact = () => (read.patch ? redactPatchText(read.text, read.inSecret) : redactSecretText(read.text, read.inSecret));
    return read.patch || read.text.length >= REMEMBERED_FROM ? this.remembered(readerTextKey(read), read.text, redact) : redact();
  }

  /** What a text showed, remembered: a view equal to the text as a mark, which costs nothing to keep. */
  private remembered(key: string, text: string, redact: () => string): string {
    const kept = this.shown.get(key, () => {
      const view = redact();
      return view === text ? SAME : view;
    });
    return kept === SAME ? text : kept;
  }

  /** The long texts' views: remembered, being worked out for another read, or worked out on the worker (all of this read's others in one call). */
  private async wholeTexts(long: ReaderText[]): Promise<WholeViews> {
    const found: WholeViews = new Map();
    // By the text itself, the same string the second walk meets (its hash kept with it): a long
    // text's digest, its key here, is worked out once a read.
    const keep = (read: ReaderText, view: string) => {
      let views = found.get(read.text);
      if (!views) found.set(read.text, (views = new Map()));
      views.set(readerTextKind(read), view);
    };
    const waits: Array<Promise<unknown>> = [];
    const asked = new Map<string, ReaderText>();
    for (const read of long) {
      const key = readerTextKey(read);
      const known = this.shown.known(key);
      const pending = this.inFlight.get(key);
      if (known !== undefined) keep(read, known === SAME ? read.text : known);
      else if (pending) waits.push(pending.then((view) => keep(read, view)));
      else asked.set(key, read);
    }
    if (asked.size > 0) {
      const call = this.askWorker([...asked.values()]);
      [...asked.keys()].forEach((key, i) => {
        const view = call.then((views) => views[i]!);
        this.inFlight.set(key, view);
        // Settled either way, it is no longer in flight (its failure is the reads' own).
        void view.catch(() => undefined).then(() => this.inFlight.delete(key));
        waits.push(view.then((shown) => {
          keep(asked.get(key)!, shown);
          this.remembered(key, asked.get(key)!.text, () => shown);
        }));
      });
    }
    await Promise.all(waits);
    return found;
  }

  private async askWorker(texts: ReaderText[]): Promise<string[]> {
    let views: string[];
    try {
      views = await this.offLoop.run<string[]>('readerTextsShown', texts);
    } catch (error) {
      if (error instanceof OffLoopBusy) throw new DomainError('unavailable', `${error.waiting} other large reads are being redacted of their secrets; nothing was shown: retry shortly`);
      throw error;
    }
    if (!Array.isArray(views) || views.length !== texts.length || views.some((view) => typeof view !== 'string')) throw new Error('the reader-views worker answered another number of texts than it was asked');
    return views;
  }
}
