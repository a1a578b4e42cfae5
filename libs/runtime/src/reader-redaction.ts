import path from 'node:path';
import {
  DomainError, MAX_PARSED_TEXT, patchesAsReadersSee, redactPatchText, redactSecretsWith, redactSecretText, readerTextKey, RememberedTexts,
  type PatchView, type ReaderText,
} from '@slipway/contracts';
import { OffLoop, OffLoopBusy } from './off-loop';

/** The module whose functions the worker runs: the contracts' reader views, in the same layout (sources in a test run, the build's JavaScript otherwise). */
const READER_VIEWS = path.resolve(__dirname, `../../contracts/src/redaction/reader-views${path.extname(__filename)}`);

/**
 * Patch texts, and other texts from this long on, are remembered once shown: patch lists and
 * searches show the same ones again and again (a search shows up to 10,000), and a lookup costs
 * far less than a parse; a config's names and labels are not worth keeping.
 */
const REMEMBERED_FROM = 256;

/**
 * Stored config as a reader without `admin` is shown it (redactSecrets' rules), each text
 * parsed whatever its size, as sealing parses it. A text up to MAX_PARSED_TEXT is redacted at
 * once, as always; longer ones, which the events API's redaction judges by the patterns alone
 * (missing an alias standing for a password, a complex or escaped key), go to a worker thread,
 * all of a read's in one call, one read at a time: a MiB of YAML takes the parser about a
 * second, which every other request of the process would wait out. At most `maxWaiting` reads
 * wait for it (each holding a copy of its long texts); one more is refused `unavailable`,
 * "retry shortly", having shown nothing. What each text showed is remembered, 16 Mi
 * characters of them, the least recently used let go first.
 */
export class ReaderRedaction {
  private readonly offLoop: OffLoop;
  private readonly shown = new RememberedTexts(16 * 1024 * 1024);

  constructor(maxWaiting = 16) {
    this.offLoop = new OffLoop(READER_VIEWS, { maxWaiting });
  }

  /** A JSON value with its secrets `[redacted]`. */
  async secrets<T>(value: T, inSecret = false): Promise<T> {
    const long: ReaderText[] = [];
    // A first walk finds the long texts and where they sit (a Secret's or not); the second shows them.
    redactSecretsWith(value, (text, below) => {
      if (text.length > MAX_PARSED_TEXT) long.push({ text, inSecret: below, patch: false });
      return text;
    }, inSecret);
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

  close(): Promise<void> {
    return this.offLoop.close();
  }

  /** A text as shown: a long one as the worker gave it (this read's answers, or remembered), a shorter one redacted here (and remembered). */
  private textShown(read: ReaderText, whole: Map<string, string>): string {
    const key = readerTextKey(read);
    const given = whole.get(key);
    if (given !== undefined) return given;
    const redact = () => (read.patch ? redactPatchText(read.text, read.inSecret) : redactSecretText(read.text, read.inSecret));
    return read.patch || read.text.length >= REMEMBERED_FROM ? this.shown.get(key, redact) : redact();
  }

  /** The long texts' views, those not remembered worked out on the worker (all in one call), each remembered too. */
  private async wholeTexts(long: ReaderText[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const asked = new Map<string, ReaderText>();
    for (const read of long) {
      const key = readerTextKey(read);
      const known = this.shown.known(key);
      if (known !== undefined) found.set(key, known);
      else asked.set(key, read);
    }
    if (asked.size === 0) return found;
    let views: string[];
    try {
      views = await this.offLoop.run<string[]>('readerTextsShown', [...asked.values()]);
    } catch (error) {
      if (error instanceof OffLoopBusy) throw new DomainError('unavailable', `${error.waiting} other large reads are being redacted of their secrets; nothing was shown: retry shortly`);
      throw error;
    }
    [...asked.keys()].forEach((key, i) => {
      found.set(key, views[i]!);
      this.shown.get(key, () => views[i]!);
    });
    return found;
  }
}
