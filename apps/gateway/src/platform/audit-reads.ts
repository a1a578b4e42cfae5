import type { CommandBus } from '@slipway/bus';
import { ReadEvents, type EventsPage, type ReadEventsQuery, type Reply } from '@slipway/contracts';
import { Turns } from './turns';

const MIB = 1024 * 1024;

/**
 * The audit log's page data a gateway holds at once by default, read and not yet taken by its
 * clients, in MiB (SLIPWAY_AUDIT_MEMORY_MIB).
 */
export const AUDIT_MEMORY_MIB = 128;

/**
 * Reads a gateway asks of the log's reader at once, the streams' and the listed pages' alike:
 * a burst of pages from many clients had telemetry read them all at once, its other answers
 * timing out, and read on for the clients that had left meanwhile.
 */
const READS_AT_ONCE = 4;

export interface HeldPage {
  answer: Reply<EventsPage>;
  /** Gives back the page's place in the gateway's memory: once its client has taken it, or left. */
  release: () => void;
}

/**
 * The audit log's pages a gateway reads for its clients, within a bound on the memory they
 * hold: a page waits there until its client has read it (a stream's page is 1 MiB of event
 * data, a listed page 4; one event larger than its page is counted as the page). The bounds
 * per token (streams open, pages read) left the whole unbounded, and tokens are issued at will:
 * 768 stalled streams of twelve tokens took a gateway to 2.2 GB (resource probe). Past the
 * bound a read waits until a client takes what it was sent (or is cut off, writeInTurn).
 */
export class AuditReads {
  private readonly memory: Turns;
  private readonly reads = new Turns(READS_AT_ONCE);

  constructor(private readonly commands: CommandBus, memoryMib = AUDIT_MEMORY_MIB) {
    this.memory = new Turns(memoryMib);
  }

  /**
   * A page, once there is room for it in memory and a read's turn, in order of asking;
   * undefined when `signal` aborts first (the client left, or its wait ran out), so nothing is
   * read for a client that is gone.
   */
  async page(query: ReadEventsQuery & { maxBytes: number }, signal: AbortSignal): Promise<HeldPage | undefined> {
    const release = await this.memory.take(Math.ceil(query.maxBytes / MIB), signal);
    if (!release) return undefined;
    const turn = await this.reads.take(1, signal);
    if (!turn) {
      release();
      return undefined;
    }
    try {
      return { answer: await this.commands.query(ReadEvents, query), release };
    } catch (error) {
      release();
      throw error;
    } finally {
      turn();
    }
  }
}
