import type { JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, type Msg, type MsgHdrs } from '@nats-io/nats-core';
import type { RefusalRecordRef } from '@slipway/contracts';
import type { Bus } from './bus';
import { encode } from './codec';
import { lastRecord, recordSubject, storedOf } from './message-records';
import { shownError } from './shown-error';
import { decideWithin, isRecordSubject, KIND, legacySubjectOf, writeLegacyAnswered, writeOnTop, writeWait, type RefusalRecord } from './refusal-record';
import { DependencyDown } from './transient';
import { within } from './within';

/**
 * Whether a command message's "retry shortly" refusal reached a client (so the message must
 * never carry the command out: the client was told it did not happen, and may send it again
 * under another id) or the message runs after all. Its service and its waiting sender each
 * decide it for themselves, at different times, in different processes, either of which may
 * die between two steps: so they decide it in one place, the message's record in OUTAGES,
 * where each writes on top of the record it read (compare-and-set on the subject's last
 * sequence), and whichever JetStream stores first wins:
 * - the service, before it asks its sender to confirm the refusal, records `asked`;
 * - the sender, before it tells its client, records `answered` on top of that `asked`;
 * - the service, before any later try or delivery of the message runs it, records `runs` on
 *   top of the last `asked` it finds.
 * - a sender of the same command id that reads the refusal in the command's status (its
 *   resend a duplicate to JetStream) records `runs` on top of whatever it finds, unless it
 *   finds `answered`: only then is the message gone for good, and a copy may be published
 *   (command-bus.ts); else the message runs, and its outcome answers the resend.
 * A sender that loses does not tell its client the refusal (the command runs: its outcome
 * comes instead); a service that loses lets the message go unrun, and one whose ask finds the
 * run claimed does not ask. Only refusals and redeliveries read or write here: a command run
 * once costs nothing.
 *
 * The version before kept only an `answered` record, on a subject of its own (LEGACY_KIND),
 * which a service wrote after its sender confirmed, and whose mere presence let the message go
 * unrun. So that a service of that version, taking a delivery in a rolling upgrade, reads this
 * version's records right: the protocol writes on another subject (KIND), never read by it,
 * and a refusal that has won is written there too, before its client is told; this version
 * reads the old subject where the new one holds nothing.
 */
/** Where a sender records its answer to an ask: sent with the "retry shortly" it confirms. */
export interface RefusalAsk {
  subject: string;
  /** The sequence of the `asked` record. */
  seq: number;
  /**
   * The refused message's Nats-Msg-Id: a sender that has published another copy of the command
   * since (after a refusal it read in the command's status) does not answer for this one.
   */
  msgId?: string;
  /** The command message's stored time, which every record of it carries. */
  stored: string;
}

const SUBJECT_HEADER = 'Slipway-Refusal-Record';
const SEQ_HEADER = 'Slipway-Refusal-Asked';
const STORED_HEADER = 'Slipway-Refusal-Stored';
const MSG_ID_HEADER = 'Slipway-Refusal-Msg-Id';

/** The confirmation of a sender that recorded its answer (one of the version before sends an empty one). */
const RECORDED = encode({ recorded: true });

/** How long a sender tries to record its answer (less than the service waits for the confirmation: command-answers.ts). */
export const ANSWER_RECORD_WAIT_MS = 4_000;

/**
 * The service's side, for one delivery of a command message: what earlier tries and
 * deliveries left decides whether it may run, and a refusal its sender is asked to confirm
 * is recorded first.
 */
export class RefusalRecordOf {
  private readonly subject: string;
  /** The sequence of the last record this delivery knows on the subject (0: none). */
  private last = 0;
  /** This delivery asked its sender: a later try reads what was answered. */
  private asked = false;
  /** A resend claimed the run (claimRun): its client waits for the outcome, so no refusal is asked about again. */
  private claimedByResend = false;

  constructor(private readonly bus: Bus, private readonly m: JsMsg) {
    this.subject = recordSubject(bus, m, KIND);
  }

  /** Where the record is: kept with the refusal in the command's status, for a resend to settle it there (claimRun). */
  get where(): RefusalRecordRef {
    const msgId = this.m.headers?.get('Nats-Msg-Id') || undefined;
    return { subject: this.subject, stored: storedOf(this.m), stream: this.m.info.stream, seq: this.m.info.streamSequence, ...(msgId ? { msgId } : {}) };
  }

  /**
   * Whether a resend claimed the run (read by mayRun): it answered its client 202 or waits for
   * the outcome, so a refusal of this message is retried, never asked about (a sender that
   * confirmed it would have the message let go, and the resend's command never carried out).
   */
  get runClaimedByResend(): boolean {
    return this.claimedByResend;
  }

  /**
   * Before a try runs the command: false when its refusal was answered to a client on an earlier
   * try or delivery; else true, the run claimed over an ask still open. A first delivery that
   * asked nothing reads nothing. Unreadable or unwritable, it is a dependency down: retried in
   * place, never run on a guess.
   */
  async mayRun(): Promise<boolean> {
    if (this.m.info.deliveryCount <= 1 && !this.asked) return true;
    try {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const found = await lastRecord<RefusalRecord>(this.bus, this.subject);
        this.last = found?.seq ?? 0;
        // None (or one of a message of a stream made again under the same sequence): answered
        // only if a service of the version before recorded so.
        if (found?.record?.stored !== storedOf(this.m)) return !(await this.answeredByLegacy());
        const { state } = found.record;
        if (state === 'answered') return false;
        if (state === 'runs' && found.record.by === 'resend') this.claimedByResend = true;
        if (state !== 'asked') return true;
        const written = await writeOnTop(this.bus, this.subject, found.seq, { state: 'runs', after: found.seq, stored: storedOf(this.m) });
        if (written !== 'lost') {
          this.last = written;
          return true;
        }
      }
    } catch (error) {
      throw new DependencyDown(`whether the refusal of ${this.m.subject} reached a client could not be read or recorded: ${shownError(error)}`, { cause: error });
    }
    throw new DependencyDown(`whether the refusal of ${this.m.subject} reached a client is being written by others: read again`);
  }

  /** Records that the sender is asked to confirm a refusal: where it records its answer. Throws when JetStream did not take it. */
  async ask(): Promise<RefusalAsk> {
    this.asked = true;
    const { stored, msgId } = this.where;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const written = await writeOnTop(this.bus, this.subject, this.last, { state: 'asked', after: this.last, stored });
      if (written !== 'lost') {
        this.last = written;
        return { subject: this.subject, seq: written, stored, ...(msgId ? { msgId } : {}) };
      }
      // A record this delivery did not know (a stream made again, a delivery of another
      // process that outlived its lease): asked on top of it, unless it says the refusal was
      // answered (the next delivery reads that, and lets the message go).
      const found = await lastRecord<RefusalRecord>(this.bus, this.subject);
      if (found?.record?.stored === stored && found.record.state === 'answered') throw new Error(`the refusal of ${this.m.subject} was answered already`);
      // Claimed by a resend that read the refusal (claimRun): the message runs, so nobody is asked.
      if (found?.record?.stored === stored && found.record.state === 'runs') throw new Error(`the run of ${this.m.subject} was claimed (a resend read its refusal)`);
      this.last = found?.seq ?? 0;
    }
    throw new Error(`the record of ${this.m.subject} kept changing while it was asked`);
  }

  /**
   * A sender of the version before confirms without recording: its answer is recorded here,
   * as a sender of this version records it. Best effort (a process that dies first leaves the
   * message to run): resolves as recordAnswered.
   */
  recordAnswer(ask: RefusalAsk): Promise<'answered' | 'runs' | 'unknown'> {
    return recordAnswered(this.bus, ask, ANSWER_RECORD_WAIT_MS);
  }

  private async answeredByLegacy(): Promise<boolean> {
    if (this.m.info.deliveryCount <= 1) return false;
    const found = await lastRecord(this.bus, legacySubjectOf(this.subject));
    return found?.record?.stored === storedOf(this.m);
  }
}

/** The headers of a "retry shortly" answer that asks its sender to record its answer. */
export function askHeaders(ask: RefusalAsk, into: MsgHdrs = natsHeaders()): MsgHdrs {
  into.set(SUBJECT_HEADER, ask.subject);
  into.set(SEQ_HEADER, String(ask.seq));
  into.set(STORED_HEADER, ask.stored);
  if (ask.msgId) into.set(MSG_ID_HEADER, ask.msgId);
  return into;
}

/** The ask a "retry shortly" answer carries; undefined from a service of the version before (or one that does not read as an ask of this bus). Never throws. */
export function askOf(bus: Bus, answer: Pick<Msg, 'headers'>): RefusalAsk | undefined {
  let subject: string, seq: number, stored: string, msgId: string | undefined;
  try {
    subject = answer.headers?.get(SUBJECT_HEADER) ?? '';
    seq = Number(answer.headers?.get(SEQ_HEADER));
    stored = answer.headers?.get(STORED_HEADER) ?? '';
    msgId = answer.headers?.get(MSG_ID_HEADER) || undefined;
  } catch {
    // Headers that cannot be read (it runs in a subscription's callback, which must not throw): no ask.
    return undefined;
  }
  if (!isRecordSubject(bus, subject) || !Number.isSafeInteger(seq) || seq < 1 || !stored) return undefined;
  return { subject, seq, stored, ...(msgId ? { msgId } : {}) };
}

/** Whether a sender's confirmation says it recorded its answer itself. */
export const answerRecorded = (confirmation: Pick<Msg, 'data'>): boolean =>
  Buffer.from(confirmation.data).equals(Buffer.from(RECORDED));

/** How a sender confirms an answer it recorded. */
export const recordedConfirmation = (): Uint8Array => RECORDED;

/**
 * The sender's side: records, before it tells its client, that the refusal was answered.
 * `answered`: it may tell it; `runs`: the service went on to run the command first (the
 * refusal no longer stands: its outcome comes instead); `unknown`: JetStream did not answer
 * within `waitMs`, and either may yet be stored.
 */
export function recordAnswered(bus: Bus, ask: RefusalAsk, waitMs: number): Promise<'answered' | 'runs' | 'unknown'> {
  // A try that threw is tried again: an earlier try stored meanwhile makes this one lose, and tells.
  return decideWithin(waitMs, async (left) => {
    const written = await writeOnTop(bus, ask.subject, ask.seq, { state: 'answered', after: ask.seq, stored: ask.stored }, writeWait(left()));
    if (written === 'lost') {
      // Something was stored on top of the ask first: an earlier try of this write (taken
      // after all), another sender's, or the service's claim to run it.
      const record = (await within(lastRecord<RefusalRecord>(bus, ask.subject), writeWait(left()), 'the OUTAGES stream'))?.record;
      if (record?.after !== ask.seq || record.state !== 'answered') return 'runs';
    }
    // Won: for a service of the version before, which may take the next delivery, too.
    await writeLegacyAnswered(bus, ask.subject, ask.stored, writeWait(left()));
    return 'answered';
  });
}
