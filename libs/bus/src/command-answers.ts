import type { LoggerService } from '@nestjs/common';
import { DomainError, fingerprintIn, replySubject, type CommandEnvelope, type Reply } from '@slipway/contracts';
import { answerRecorded, askHeaders, type RefusalAsk } from './answered-refusals';
import type { Bus } from './bus';
import { overBusLimit } from './bus-limit';
import { encode } from './codec';
import { errorReply, fingerprintHeaders } from './reply';

/**
 * How long a sender has to confirm a "retry shortly" answer. Not bounded by its
 * `repliesUntil`: a sender that got the answer in time records it and confirms even when
 * busy (it takes up to ANSWER_RECORD_WAIT_MS to record it). Unconfirmed, the command is
 * retried, and runs unless the sender's record was stored first (answered-refusals.ts). A
 * sender without a waiter for it does not answer at all.
 */
const CONFIRM_WAIT_MS = 5_000;

/**
 * A command's answers to whoever waits for it, on `res.<commandId>`. Each carries the
 * fingerprint of the envelope answered, for a sender of another command under the same id to
 * tell (CommandBus). A reply the server would refuse (over max_payload) is replaced by a note,
 * so the sender is not left waiting out its bound; the outcome itself is recorded whole (a
 * handled command's), and its status answers in parts.
 */
export class CommandAnswers {
  constructor(private readonly bus: Bus, private readonly log: LoggerService) {}

  send(subject: string, reply: unknown, commandId: string, fingerprint: string | undefined): void {
    this.bus.nc.publish(this.bus.subject(replySubject(commandId)), this.data(subject, reply, commandId), fingerprint ? { headers: fingerprintHeaders(fingerprint) } : undefined);
  }

  /**
   * Answers a "retry shortly" refusal as a request: a sender that has it records its answer
   * where `ask` says (answered-refusals.ts) and confirms, and only then may the command be let
   * go. `recorded`: the sender recorded it; `unrecorded`: a sender of the version before
   * confirmed without; false: nobody confirmed in time.
   */
  async confirmed(subject: string, reply: Reply, sent: CommandEnvelope, ask: RefusalAsk): Promise<'recorded' | 'unrecorded' | false> {
    const fingerprint = fingerprintIn(sent);
    const headers = askHeaders(ask, fingerprint ? fingerprintHeaders(fingerprint) : undefined);
    return this.bus.nc.request(this.bus.subject(replySubject(sent.commandId)), this.data(subject, reply, sent.commandId), { timeout: CONFIRM_WAIT_MS, headers })
      .then((confirmation) => (answerRecorded(confirmation) ? 'recorded' as const : 'unrecorded' as const), () => false as const);
  }

  private data(subject: string, reply: unknown, commandId: string): Uint8Array {
    const data = encode(reply);
    const over = overBusLimit(this.bus, data.length);
    if (!over) return data;
    this.log.warn(`the reply to ${subject} ${commandId} is ${over}; replied with a note`);
    return encode(errorReply(new DomainError('internal', `the command was handled, but its reply is ${over}: read its outcome from its status (/api/v1/commands/${commandId})`)));
  }
}
