import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { RefusalRecordRef } from '@slipway/contracts';
import type { Bus } from './bus';
import { lastRecord } from './message-records';
import { decideWithin, isRecordSubject, legacySubjectOf, writeOnTop, writeWait, type RefusalRecord } from './refusal-record';
import { within } from './within';

/**
 * A resend's side, for a command whose status holds a refusal of its message at `where`:
 * `answered` when that message never runs (the refusal reached a client, or the message is no
 * longer queued), so another copy may be published; else `runs`, recorded on top of what was
 * there (an ask still open, or none yet): the message, still queued, runs, and its outcome
 * answers; `unknown` when JetStream did not answer within `waitMs`, and either may be stored.
 */
export function claimRun(bus: Bus, where: RefusalRecordRef, waitMs: number): Promise<'answered' | 'runs' | 'unknown'> {
  if (!isRecordSubject(bus, where.subject)) return Promise.resolve('unknown');
  return decideWithin(waitMs, async (left) => {
    const found = await within(lastRecord<RefusalRecord>(bus, where.subject), left(), 'the OUTAGES stream');
    const mine = found?.record?.stored === where.stored ? found.record : undefined;
    if (mine?.state === 'answered') return 'answered';
    // The version before's services record only an answer, on a subject of their own.
    if (mine?.state !== 'runs' && (await within(lastRecord(bus, legacySubjectOf(where.subject)), left(), 'the OUTAGES stream'))?.record?.stored === where.stored) return 'answered';
    // A `runs` of the service's own is claimed again as the resend's: the service then asks
    // no one about a later refusal (its ask loses to this, and its next read sees who claimed).
    if (mine?.state !== 'runs' || mine.by !== 'resend') {
      const at = found?.seq ?? 0;
      // Something stored first: read again.
      if (await writeOnTop(bus, where.subject, at, { state: 'runs', by: 'resend', after: at, stored: where.stored }, writeWait(left())) === 'lost') return undefined;
    }
    // Claimed: it runs if it is still queued. Gone, it never does (let go after an answer
    // recorded where this does not read: its records removed, a sender of the version
    // before whose confirmation could not be recorded), and a copy may be published.
    return (await within(stillQueued(bus, where), left(), 'the COMMANDS stream')) ? 'runs' : 'answered';
  });
}

/** Whether the message a record is of is still in its stream (unknown where: taken as queued). Throws when it cannot be read. */
async function stillQueued(bus: Bus, where: RefusalRecordRef): Promise<boolean> {
  if (where.stream === undefined || where.seq === undefined) return true;
  // (A sequence it no longer holds reads null.)
  const found = await bus.jsm.streams.getMessage(where.stream, { seq: where.seq }).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  });
  // The same sequence in a stream made again holds another message.
  return found !== null && (where.msgId === undefined || found.header?.get('Nats-Msg-Id') === where.msgId);
}
