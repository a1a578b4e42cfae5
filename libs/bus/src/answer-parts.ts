import { headers, nuid, type Msg, type MsgHdrs, type Subscription } from '@nats-io/nats-core';
import type { Bus } from './bus';
import { busLimit } from './bus-limit';

/** Headers of the first part of an answer too big for one message. */
export const PARTS_HEADER = 'Slipway-Parts';
const FROM_HEADER = 'Slipway-Parts-From';
/** How long the rest of an answer waits to be fetched. */
const KEEP_MS = 30_000;
/** How long an answer stays once its last part is fetched: for a reply lost on its way. */
const REFETCH_MS = 5_000;
/**
 * How much of unfetched answers a process keeps at most: past it the oldest go first (their
 * askers read "part gone"), so askers that never fetch cannot fill its memory.
 */
const KEEP_BYTES = 256 * 1024 * 1024;

/**
 * A query's answer over the server's max_payload goes in parts: the reply carries the first
 * and says how many there are and where the others wait — a subject of this process alone
 * (the query itself went to a queue group, so another instance would not have them). The
 * asker fetches the others there, one request each (`fetchRemainingParts`).
 */
export class AnswerParts {
  /** In the order they were kept (a Map iterates so): the oldest first. */
  private readonly waiting = new Map<string, { parts: Uint8Array[]; bytes: number; timer: NodeJS.Timeout }>();
  private keptBytes = 0;
  private readonly inbox: string;
  private subscription?: Subscription;

  constructor(private readonly bus: Bus, private readonly keepBytes = KEEP_BYTES) {
    this.inbox = bus.subject(`parts.${nuid.next()}`);
  }

  /** The message to answer with: the whole answer when it fits, else its first part. */
  first(data: Uint8Array): { data: Uint8Array; headers?: MsgHdrs } {
    const size = busLimit(this.bus);
    if (size === undefined || data.length <= size) return { data };
    const parts: Uint8Array[] = [];
    for (let at = 0; at < data.length; at += size) parts.push(data.subarray(at, at + size));
    const id = nuid.next();
    for (const [oldest] of this.waiting) {
      if (this.keptBytes + data.length <= this.keepBytes) break;
      this.forget(oldest);
    }
    this.waiting.set(id, { parts, bytes: data.length, timer: setTimeout(() => this.forget(id), KEEP_MS).unref() });
    this.keptBytes += data.length;
    this.subscription ??= this.bus.nc.subscribe(`${this.inbox}.>`, {
      callback: (error, msg) => {
        if (!error) this.answerPart(msg);
      },
    });
    const h = headers();
    h.set(PARTS_HEADER, String(parts.length));
    h.set(FROM_HEADER, `${this.inbox}.${id}`);
    return { data: parts[0]!, headers: h };
  }

  /**
   * A request for part `k` (1-based, in the body, as the text of a whole number) of an answer
   * kept here. Kept until KEEP_MS has passed, not forgotten once its last part is fetched: a
   * reply lost on its way can be asked for again. A part that cannot be answered gets an empty
   * body and a PART_REFUSED header saying why.
   */
  private answerPart(msg: Msg): void {
    const id = msg.subject.slice(this.inbox.length + 1);
    const kept = this.waiting.get(id);
    const asked = new TextDecoder().decode(msg.data);
    if (!kept) return refusePart(msg, `the answer is gone (answers in parts are kept ${KEEP_MS / 1000} s, fewer when many wait)`);
    if (!/^[1-9][0-9]{0,8}$/.test(asked) || Number(asked) > kept.parts.length) {
      return refusePart(msg, `part ${JSON.stringify(asked.slice(0, 20))} is not a whole number from 1 to ${kept.parts.length}`);
    }
    msg.respond(kept.parts[Number(asked) - 1]!);
    // Fetched whole: kept a little longer, for a reply lost on its way, not its 30 s (answers
    // not fetched yet would be the ones to go when many wait).
    if (Number(asked) === kept.parts.length) {
      clearTimeout(kept.timer);
      kept.timer = setTimeout(() => this.forget(id), REFETCH_MS).unref();
    }
  }

  private forget(id: string): void {
    const kept = this.waiting.get(id);
    if (!kept) return;
    clearTimeout(kept.timer);
    this.waiting.delete(id);
    this.keptBytes -= kept.bytes;
  }

  close(): void {
    this.subscription?.unsubscribe();
    for (const id of [...this.waiting.keys()]) this.forget(id);
  }
}

/** On an empty answer to a request for a part: why it was not given. */
export const PART_REFUSED_HEADER = 'Slipway-Part-Refused';

function refusePart(msg: Msg, reason: string): void {
  const h = headers();
  h.set(PART_REFUSED_HEADER, reason);
  msg.respond(new Uint8Array(), { headers: h });
}

/** The whole answer from its first part's message: the others are fetched in order. */
export async function fetchRemainingParts(bus: Bus, first: Msg, timeoutMs: number): Promise<Uint8Array> {
  const count = Number(first.headers?.get(PARTS_HEADER) ?? '1');
  const from = first.headers?.get(FROM_HEADER);
  if (count <= 1 || !from) return first.data;
  const parts = [first.data];
  for (let k = 2; k <= count; k++) {
    const part = await bus.nc.request(from, new TextEncoder().encode(String(k)), { timeout: timeoutMs });
    if (part.data.length === 0) throw new Error(`part ${k} of ${count} of the answer could not be fetched: ${part.headers?.get(PART_REFUSED_HEADER) || 'the answer is gone'}`);
    parts.push(part.data);
  }
  const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}
