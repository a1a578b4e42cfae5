import path from 'node:path';
import { DomainError, patchesAsReadersSee, secretsAsReadersSee, textsAsReadersSee, type PatchView } from '@slipway/contracts';
import { heavierThan } from './heavier-than';
import { OffLoop, OffLoopBusy, READ_OFF_LOOP_FROM } from './off-loop';

/** The module whose functions the worker runs: the contracts' reader views, in the same layout (sources in a test run, the build's JavaScript otherwise). */
const READER_VIEWS = path.resolve(__dirname, `../../contracts/src/redaction/reader-views${path.extname(__filename)}`);

/**
 * Stored config as a reader without `admin` is shown it (contracts' reader-views.ts), its
 * texts parsed whatever their size. What holds READ_OFF_LOOP_FROM characters or more is
 * redacted on a worker thread, one read at a time: a MiB of YAML takes the parser about a
 * second, which every other request of the process would wait out. At most `maxWaiting`
 * reads wait for it (each holding its copy of what it shows); one more is refused
 * `unavailable`, "retry shortly", having shown nothing.
 */
export class ReaderRedaction {
  private readonly offLoop: OffLoop;

  constructor(private readonly maxWaiting = 16) {
    this.offLoop = new OffLoop(READER_VIEWS, { maxWaiting });
  }

  /** A JSON value with its secrets `[redacted]` (redactSecrets' rules). */
  secrets<T>(value: T, inSecret = false): Promise<T> {
    return this.shown(value, () => secretsAsReadersSee(value, inSecret) as T, 'secretsAsReadersSee', value, inSecret);
  }

  /** Texts each with its secrets `[redacted]`, as `secrets` shows a string. */
  texts(texts: string[]): Promise<string[]> {
    return this.shown(texts, () => textsAsReadersSee(texts), 'textsAsReadersSee', texts);
  }

  /** Patches with the secrets of their texts and descriptions `[redacted]`. */
  patches(patches: PatchView[]): Promise<PatchView[]> {
    return this.shown(patches, () => patchesAsReadersSee(patches), 'patchesAsReadersSee', patches);
  }

  close(): Promise<void> {
    return this.offLoop.close();
  }

  private async shown<T>(value: unknown, here: () => T, name: string, ...args: unknown[]): Promise<T> {
    if (!heavierThan(value, { values: Infinity, characters: READ_OFF_LOOP_FROM })) return here();
    try {
      return await this.offLoop.run<T>(name, ...args);
    } catch (error) {
      if (error instanceof OffLoopBusy) throw new DomainError('unavailable', `${error.waiting} other large reads are being redacted of their secrets; nothing was shown: retry shortly`);
      throw error;
    }
  }
}
