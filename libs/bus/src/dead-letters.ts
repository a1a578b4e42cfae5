import type { StoredMsg } from '@nats-io/jetstream';
import { definedCommandSubjects, isCommandId, redactSecrets, redactTextPatterns, type CommandEnvelope, type DeadLetter, type DeadLettersPage } from '@slipway/contracts';
import type { Bus } from './bus';
import { decode } from './codec';
import { removeMessage } from './remove-message';

/**
 * The headers a dead-lettered message is filed with (settle-message.ts writes them).
 * `whole`: kept as it was sent, nothing replaced (absent on letters filed before it existed).
 */
export const DEAD_LETTER_HEADERS = { reason: 'Slipway-Reason', subject: 'Slipway-Subject', deliveries: 'Slipway-Deliveries', whole: 'Slipway-Whole', messageId: 'Slipway-Msg-Id', undecodable: 'Slipway-Undecodable-Bytes' } as const;

/** How many sequences one page looks at, so that a page over a purged stretch stays bounded. */
const SCAN_LIMIT = 1_000;

/**
 * The letters one page holds at most, in bytes of their JSON, as a page of the audit log is
 * bounded (READ_BUDGET_BYTES): a letter can be megabytes (a command up to NATS's payload
 * bound), and ten of them made one answer of 77 MB (probe). At least one letter is given.
 */
export const DEAD_LETTERS_PAGE_BYTES = 16 * 1024 * 1024;

/** A page of DEADLETTER, oldest first, after sequence `after`: up to `limit` letters, cut at `maxBytes` of them. */
export async function readDeadLetters(bus: Bus, after: number, limit: number, maxBytes = DEAD_LETTERS_PAGE_BYTES): Promise<DeadLettersPage> {
  const stream = bus.stream('DEADLETTER');
  const { state } = await bus.jsm.streams.info(stream);
  const deadLetters: DeadLetter[] = [];
  let seq = Math.max(after + 1, state.first_seq);
  const end = Math.min(state.last_seq, seq + SCAN_LIMIT - 1);
  let next = after;
  let bytes = 0;
  for (; seq <= end && deadLetters.length < limit; seq++) {
    // Absent sequences (purged, or removed by an operator) are skipped.
    const letter = await readDeadLetter(bus, seq);
    if (letter) {
      const size = Buffer.byteLength(JSON.stringify(letter));
      // Past the budget: the next page starts with it.
      if (deadLetters.length > 0 && bytes + size > maxBytes) break;
      deadLetters.push(letter);
      bytes += size;
    }
    next = seq;
  }
  return { deadLetters, next };
}

/** One dead letter by its sequence, or undefined when there is none (never filed, or removed). */
export async function readDeadLetter(bus: Bus, sequence: number): Promise<DeadLetter | undefined> {
  return (await readFiled(bus, sequence))?.letter;
}

/**
 * One dead letter and, when it can be sent again (`redrivable`), the command as filed —
 * whole, so never shown: an operator reads `letter`, redacted again like every letter.
 */
export async function readFiled(bus: Bus, sequence: number): Promise<{ letter: DeadLetter; command?: CommandEnvelope } | undefined> {
  const stored = await bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { seq: sequence });
  if (!stored) return undefined;
  const letter = toDeadLetter(bus, stored);
  return letter.redrivable ? { letter, command: decode<CommandEnvelope>(stored.data) } : { letter };
}

/** Removes a dead letter; one already gone is fine (a redelivered discard). */
export function removeDeadLetter(bus: Bus, sequence: number): Promise<void> {
  return removeMessage(bus, bus.stream('DEADLETTER'), sequence, { erase: false });
}

/**
 * A filed message as an operator reads it. Redacted again on the way out, as events are:
 * DEADLETTER keeps messages indefinitely, and letters filed before the filing redacted
 * secrets in text (a patch's YAML, a Secret's values, URL passwords) still hold them.
 */
function toDeadLetter(bus: Bus, stored: StoredMsg): DeadLetter {
  const header = (name: string) => stored.header?.get(name) ?? '';
  const filed = {
    sequence: stored.seq,
    subject: bus.unprefix(header(DEAD_LETTER_HEADERS.subject)),
    // A handler's error message may quote what it failed on.
    reason: redactTextPatterns(header(DEAD_LETTER_HEADERS.reason)),
    deliveries: Number(header(DEAD_LETTER_HEADERS.deliveries)) || 0,
    deadAt: stored.time.toISOString(),
    // Redacted again: letters filed before the filing redacted it may hold a token's secret.
    ...(stored.header?.get(DEAD_LETTER_HEADERS.messageId) ? { messageId: redactTextPatterns(header(DEAD_LETTER_HEADERS.messageId)) } : {}),
    redrivable: false,
  };
  // Filed without its bytes (they may hold secrets no redaction can find); earlier letters kept them.
  const undecodable = stored.header?.get(DEAD_LETTER_HEADERS.undecodable);
  if (undecodable) return { ...filed, undecodableBytes: Number(undecodable) || 0 };
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(stored.data));
  } catch {
    return { ...filed, undecodableBytes: stored.data.length };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ...filed, payload: shownPayload(body, stored.data.length) };
  const { commandId, actor, issuedAt, payload } = body as Record<string, unknown>;
  return {
    ...filed,
    redrivable: header(DEAD_LETTER_HEADERS.whole) === 'true' && definedCommandSubjects().includes(filed.subject) && isCommandId(commandId),
    ...(typeof commandId === 'string' ? { commandId } : {}),
    ...(actor !== undefined ? { actor } : {}),
    ...(typeof issuedAt === 'string' ? { issuedAt } : {}),
    payload: shownPayload(payload !== undefined ? payload : body, stored.data.length),
  };
}

/** A payload with its secrets replaced; one nested too deeply to be read for them is not shown. */
function shownPayload(payload: unknown, bytes: number): unknown {
  try {
    return redactSecrets(payload);
  } catch {
    return { notShown: `${bytes} bytes nested too deeply to be read for secrets` };
  }
}
