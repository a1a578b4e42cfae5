import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { ensureStreams } from './streams';

export interface BusOptions {
  url: string;
  /** Prefixes every subject and stream name; isolates test files sharing one server. */
  prefix?: string;
  name?: string;
}

/**
 * One NATS connection with its JetStream handles. Contracts name subjects without the
 * prefix; `subject()` adds it, so the prefix never leaks into business code.
 */
export class Bus {
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly prefix: string,
  ) {}

  /** Whether COMMANDS and EVENTS take atomic batches (nats-server 2.12+); see atomic-batch.ts. */
  atomicBatches = false;

  static async connect(options: BusOptions): Promise<Bus> {
    if (options.prefix !== undefined) refuseUnlessPrefix(options.prefix);
    // noAsyncTraces: the client would otherwise build an Error (a stack trace) for every
    // request and publish ack; our errors are mapped to domain errors anyway.
    const nc = await connect({ servers: options.url, name: options.name, maxReconnectAttempts: -1, reconnectTimeWait: 250, noAsyncTraces: true });
    const jsm = await jetstreamManager(nc);
    const prefix = options.prefix ? `${options.prefix}.` : '';
    const bus = new Bus(nc, jetstream(nc), jsm, prefix);
    ({ atomicBatches: bus.atomicBatches } = await ensureStreams(bus));
    return bus;
  }

  subject(name: string): string {
    return this.prefix + name;
  }

  /** Strips the prefix from a received subject, giving the contract's subject back. */
  unprefix(subject: string): string {
    return subject.startsWith(this.prefix) ? subject.slice(this.prefix.length) : subject;
  }

  stream(name: 'COMMANDS' | 'EVENTS' | 'DEADLETTER' | 'ACCEPTED' | 'INSTALLATION' | 'OUTAGES'): string {
    return this.prefix ? `${this.prefix.slice(0, -1).replace(/[^A-Za-z0-9_-]/g, '_')}_${name}` : name;
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}

/**
 * A bus prefix is subject tokens of letters, digits and `-`, joined by `.`: stream names write
 * its dots as `_`, so `a.b` and `a_b` would share one set of streams (each Slipway's commands
 * left in the other's, handled by neither), and a wildcard (`*`, `>`) or a blank is no subject
 * token at all (NATS refused it deep in a service's start).
 */
const PREFIX = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;
const MOST_PREFIX_CHARACTERS = 64;

function refuseUnlessPrefix(prefix: string): void {
  if (PREFIX.test(prefix) && prefix.length <= MOST_PREFIX_CHARACTERS) return;
  throw new Error(`SLIPWAY_BUS_PREFIX ${JSON.stringify(prefix.slice(0, 100))} is not a bus prefix: write it as parts of letters, digits and "-" joined by "." (at most ${MOST_PREFIX_CHARACTERS} characters; "_" is not taken, since stream names write the dots as "_": "a.b" and "a_b" would share one Slipway's streams)`);
}
