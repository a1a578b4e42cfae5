import {
  appendToStream, createPool, loadCheckpoint, migrate, type Checkpoint, type EventMetadata, type RecordedEvent,
} from '@slipway/event-log';
import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import type { Pool, PoolClient } from 'pg';
import { Bus } from './bus';
import { relayBatch } from './relay';

export const RELAY_TEST_META: EventMetadata = { commandId: 'c', correlationId: 'c', actor: 'test', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z' };
export const RELAY_TEST_TYPE = 'relaytest.happened.v1';

export interface Relayed { seq: number; msgId: string | undefined; subject: string; event: RecordedEvent }

export interface RelayRig {
  url: string;
  pool: Pool;
  bus: Bus;
  /** Appends `count` events to a new stream in the open transaction. */
  append(tx: PoolClient, streamId: string, count?: number): Promise<void>;
  /** A client with a transaction begun, to commit (or not) when the test says. */
  open(): Promise<PoolClient>;
  /** Everything in EVENTS, in stream order. */
  relayed(): Promise<Relayed[]>;
  /** Every committed event's id, in the gated readers' order. */
  committedOrder(): Promise<string[]>;
  /** Relays batches until every committed event is behind the checkpoint. */
  relayUntilCaughtUp(): Promise<Checkpoint>;
}

/**
 * For a describe block: a database with the log and a bus of its own, for tests of the
 * relay from the Postgres log to EVENTS; set once the block's first `beforeAll` ran.
 * The log reader gates on the oldest transaction running anywhere in the cluster, so
 * another test file's open transaction can hold a batch back for a moment: relay until
 * caught up instead of assuming one batch does everything.
 */
export function relayRig(): RelayRig {
  const rig: RelayRig = {
    url: '', pool: undefined as unknown as Pool, bus: undefined as unknown as Bus,
    async append(tx, streamId, count = 1) {
      const events = Array.from({ length: count }, (_, i) => ({ type: RELAY_TEST_TYPE, data: { streamId, i } }));
      await appendToStream(tx, streamId, 0, events, RELAY_TEST_META);
    },
    async open() {
      const tx = await rig.pool.connect();
      await tx.query('BEGIN');
      return tx;
    },
    async relayed() {
      const { bus } = rig;
      const { state } = await bus.jsm.streams.info(bus.stream('EVENTS'));
      const out: Relayed[] = [];
      for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
        const msg = await bus.jsm.streams.getMessage(bus.stream('EVENTS'), { seq });
        if (msg) out.push({ seq, msgId: msg.header?.get('Nats-Msg-Id'), subject: msg.subject, event: msg.json<RecordedEvent>() });
      }
      return out;
    },
    async committedOrder() {
      const { rows } = await rig.pool.query<{ event_id: string }>('SELECT event_id FROM events ORDER BY transaction_id, position');
      return rows.map((r) => r.event_id);
    },
    relayUntilCaughtUp() {
      return eventually(async () => {
        await relayBatch(rig.pool, rig.bus);
        const checkpoint = await loadCheckpoint(rig.pool, 'relay');
        const { rows } = await rig.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)',
          [checkpoint.transactionId, checkpoint.position],
        );
        expect(rows[0]!.n).toBe(0);
        return checkpoint;
      }, 15_000);
    },
  };
  beforeAll(async () => {
    rig.url = await createTestDatabase();
    await migrate(rig.url);
    rig.pool = createPool(rig.url);
    rig.bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterAll(async () => {
    await rig.bus?.close();
    await rig.pool?.end();
  });
  return rig;
}
