import type { PubAck } from '@nats-io/jetstream';
import {
  appendToStream, createPool, inTransaction, Leadership, loadCheckpoint, migrate, TailLoop,
  type Checkpoint, type EventMetadata, type RecordedEvent,
} from '@slipway/event-log';
import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import type { Pool, PoolClient } from 'pg';
import { Bus } from './bus';
import { relayBatch, startRelay } from './relay';

const meta: EventMetadata = { commandId: 'c', correlationId: 'c', actor: 'test', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z' };
const TYPE = 'relaytest.happened.v1';

interface Relayed { seq: number; msgId: string | undefined; subject: string; event: RecordedEvent }

/**
 * The relay from the Postgres log to the EVENTS stream, against real Postgres and NATS.
 * Note: the log reader gates on the oldest transaction running anywhere in the cluster,
 * so another test file's open transaction can hold a batch back for a moment; the tests
 * therefore relay until caught up instead of assuming one batch does everything.
 */
describe('relay: Postgres log → EVENTS', () => {
  let url: string;
  let pool: Pool;
  let bus: Bus;

  beforeAll(async () => {
    url = await createTestDatabase();
    await migrate(url);
    pool = createPool(url);
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterAll(async () => {
    await bus?.close();
    await pool?.end();
  });

  async function append(tx: PoolClient, streamId: string, count = 1): Promise<void> {
    const events = Array.from({ length: count }, (_, i) => ({ type: TYPE, data: { streamId, i } }));
    await appendToStream(tx, streamId, 0, events, meta);
  }

  async function open(): Promise<PoolClient> {
    const tx = await pool.connect();
    await tx.query('BEGIN');
    return tx;
  }

  /** Everything in EVENTS, in stream order. */
  async function relayed(): Promise<Relayed[]> {
    const { state } = await bus.jsm.streams.info(bus.stream('EVENTS'));
    const out: Relayed[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const msg = await bus.jsm.streams.getMessage(bus.stream('EVENTS'), { seq });
      if (msg) out.push({ seq, msgId: msg.header?.get('Nats-Msg-Id'), subject: msg.subject, event: msg.json<RecordedEvent>() });
    }
    return out;
  }

  async function committedOrder(): Promise<string[]> {
    const { rows } = await pool.query<{ event_id: string }>('SELECT event_id FROM events ORDER BY transaction_id, position');
    return rows.map((r) => r.event_id);
  }

  /** Relays batches until every committed event is behind the checkpoint. */
  async function relayUntilCaughtUp(): Promise<Checkpoint> {
    return eventually(async () => {
      await relayBatch(pool, bus);
      const checkpoint = await loadCheckpoint(pool, 'relay');
      const { rows } = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)',
        [checkpoint.transactionId, checkpoint.position],
      );
      expect(rows[0]!.n).toBe(0);
      return checkpoint;
    }, 15_000);
  }

  it('publishes every event once, with Nats-Msg-Id = event id, in (transaction, position) order', async () => {
    // given three committed transactions
    await inTransaction(pool, (tx) => append(tx, 'order-a', 2));
    await inTransaction(pool, (tx) => append(tx, 'order-b', 1));
    await inTransaction(pool, (tx) => append(tx, 'order-c', 3));

    // when the relay runs
    const checkpoint = await relayUntilCaughtUp();

    // then EVENTS holds them in the log's order, each under its id, on evt.<type>
    const messages = await relayed();
    expect(messages.map((m) => m.event.eventId)).toEqual(await committedOrder());
    for (const m of messages) {
      expect(m.msgId).toBe(m.event.eventId);
      expect(m.subject).toBe(bus.subject(`evt.${TYPE}`));
    }
    expect(messages.map((m) => m.event.streamId)).toEqual(['order-a', 'order-a', 'order-b', 'order-c', 'order-c', 'order-c']);
    // and the checkpoint is the last one relayed
    const last = messages[messages.length - 1]!.event;
    expect(checkpoint).toEqual({ transactionId: last.transactionId, position: last.position });
  });

  it('after a crash between publish and checkpoint, republishes without duplicates and advances', async () => {
    const before = await relayUntilCaughtUp();
    const countBefore = (await relayed()).length;
    await inTransaction(pool, (tx) => append(tx, 'crash', 3));

    // when the relay publishes the batch and dies before storing its checkpoint
    await eventually(() => expect(relayBatch(pool, bus, 500, {
      afterPublish: () => { throw new Error('relay crashed after publish'); },
    })).rejects.toThrow('relay crashed after publish'));

    // then the events reached EVENTS but the checkpoint did not move
    expect((await relayed()).length).toBe(countBefore + 3);
    expect(await loadCheckpoint(pool, 'relay')).toEqual(before);

    // when the relay runs again, JetStream reports every republished event as a duplicate
    const acks: PubAck[] = [];
    const publish = bus.js.publish.bind(bus.js);
    bus.js.publish = async (...args) => {
      const ack = await publish(...args);
      acks.push(ack);
      return ack;
    };
    let after: Checkpoint;
    try {
      after = await relayUntilCaughtUp();
    } finally {
      bus.js.publish = publish;
    }
    expect(acks).toHaveLength(3);
    expect(acks.every((a) => a.duplicate)).toBe(true);

    // then EVENTS holds each event exactly once, and the checkpoint advanced past them
    const messages = await relayed();
    expect(messages).toHaveLength(countBefore + 3);
    expect(new Set(messages.map((m) => m.msgId)).size).toBe(messages.length);
    expect(messages.map((m) => m.event.eventId)).toEqual(await committedOrder());
    expect(after.position).toBe(messages[messages.length - 1]!.event.position);
  });

  const BULK = 48;
  it('publishes a large batch as atomic batches, in order, and a crash-republish of it stores nothing twice', async () => {
    expect(bus.atomicBatches).toBe(true);
    await relayUntilCaughtUp();
    const countBefore = (await relayed()).length;
    // given one transaction of many events (more than one publish at a time is worth)
    await inTransaction(pool, (tx) => append(tx, 'bulk', BULK));
    const onePublish = jest.spyOn(bus.js, 'publish');
    try {
      // when the relay publishes them and dies before storing its checkpoint
      await eventually(() => expect(relayBatch(pool, bus, 500, {
        afterPublish: () => { throw new Error('relay crashed after publish'); },
      })).rejects.toThrow('relay crashed after publish'));
      // then they went as an atomic batch (no message alone) and are all in EVENTS
      expect(onePublish).not.toHaveBeenCalled();
      expect((await relayed()).length).toBe(countBefore + BULK);

      // when the relay runs again, the batch is refused as containing duplicates and republished one by one
      await relayUntilCaughtUp();
      expect(onePublish).toHaveBeenCalledTimes(BULK);
    } finally {
      onePublish.mockRestore();
    }

    // then EVENTS holds each event exactly once, in the log's order
    const messages = await relayed();
    expect(messages).toHaveLength(countBefore + BULK);
    expect(new Set(messages.map((m) => m.msgId)).size).toBe(messages.length);
    for (const m of messages) expect(m.msgId).toBe(m.event.eventId);
    expect(messages.map((m) => m.event.eventId)).toEqual(await committedOrder());
  });

  it('publishes one event at a time, each acknowledged, to a server that stores no atomic batches', async () => {
    await relayUntilCaughtUp();
    const countBefore = (await relayed()).length;
    // given a server without atomic batches (as nats-server before 2.12), and many events at once
    bus.atomicBatches = false;
    const unacknowledged = jest.spyOn(bus.nc, 'publish');
    try {
      await inTransaction(pool, (tx) => append(tx, 'bulk-old-server', BULK));
      await relayUntilCaughtUp();
      // then no message went without asking for its acknowledgement, and each is stored once
      // (a request publishes with a reply subject; an atomic batch's messages go without one)
      const alone = unacknowledged.mock.calls.filter(([subject, , options]) => subject.includes('.evt.') && !options?.reply);
      expect(alone.map(([subject]) => subject)).toEqual([]);
    } finally {
      unacknowledged.mockRestore();
      bus.atomicBatches = true;
    }
    const messages = await relayed();
    expect(messages).toHaveLength(countBefore + BULK);
    expect(messages.map((m) => m.event.eventId)).toEqual(await committedOrder());
  });

  it('relays an event whose transaction commits late on a later batch instead of skipping it', async () => {
    await relayUntilCaughtUp();
    // given a slow transaction that takes its position first and commits last
    const slow = await open();
    await append(slow, 'late-slow');
    // and a fast one with a later position that commits right away
    await inTransaction(pool, (tx) => append(tx, 'late-fast'));

    // when the relay runs while the slow one is open, it holds both back (no skipping ahead)
    await relayBatch(pool, bus);
    expect((await relayed()).map((m) => m.event.streamId)).not.toContain('late-slow');
    expect((await relayed()).map((m) => m.event.streamId)).not.toContain('late-fast');

    // when the slow transaction commits and the relay runs again
    await slow.query('COMMIT');
    slow.release();
    await relayUntilCaughtUp();

    // then both are relayed, the late-committing one first (it began first)
    const streams = (await relayed()).map((m) => m.event.streamId);
    expect(streams.filter((s) => s.startsWith('late-'))).toEqual(['late-slow', 'late-fast']);
    expect((await relayed()).map((m) => m.event.eventId)).toEqual(await committedOrder());
  });

  it('keeps the log order when JetStream refuses one event in the middle of a batch', async () => {
    await relayUntilCaughtUp();
    const stream = bus.stream('EVENTS');
    const { config } = await bus.jsm.streams.info(stream);
    // given a batch whose middle event JetStream refuses for a while (too big for the stream)
    await inTransaction(pool, (tx) => appendToStream(tx, 'refused', 0, [
      { type: TYPE, data: { n: 1 } }, { type: TYPE, data: { n: 2, padding: 'x'.repeat(4000) } }, { type: TYPE, data: { n: 3 } },
    ], meta));
    await bus.jsm.streams.update(stream, { ...config, max_msg_size: 2048 });
    try {
      // when the relay runs, it fails
      await eventually(() => expect(relayBatch(pool, bus)).rejects.toThrow());
    } finally {
      await bus.jsm.streams.update(stream, { ...config, max_msg_size: -1 });
    }

    // when the refusal clears and the relay runs again
    await relayUntilCaughtUp();

    // then EVENTS holds the events once each, still in the log's order (nothing overtook the refused one)
    const messages = await relayed();
    expect(messages.filter((m) => m.event.streamId === 'refused').map((m) => (m.event.data as { n: number }).n)).toEqual([1, 2, 3]);
    expect(messages.map((m) => m.event.eventId)).toEqual(await committedOrder());
  });

  describe('leadership', () => {
    /** Records what every Leadership instance answered, in order of first appearance. */
    function watchLeadership() {
      const answers = new Map<Leadership, boolean[]>();
      const original = Leadership.prototype.tryAcquire;
      const spy = jest.spyOn(Leadership.prototype, 'tryAcquire').mockImplementation(async function (this: Leadership) {
        const ok = await original.call(this);
        answers.set(this, [...(answers.get(this) ?? []), ok]);
        return ok;
      });
      return { candidates: () => [...answers.values()], restore: () => spy.mockRestore() };
    }

    async function advisoryLocksHeld(): Promise<number> {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      return rows[0]!.n;
    }

    it('runs one loop per key; when the leader stops, the other candidate takes over', async () => {
      const watch = watchLeadership();
      const steps = { a: 0, b: 0 };
      const key = `relay-test-${bus.prefix}`;
      const a = new TailLoop({ url, key, step: async () => { steps.a++; return 0; } });
      const b = new TailLoop({ url, key, step: async () => { steps.b++; return 0; } });
      try {
        // given A is leader and stepping
        a.start();
        await eventually(() => expect(steps.a).toBeGreaterThan(0));

        // when B becomes a candidate, it is refused (twice, i.e. on retry too) and never steps
        b.start();
        await eventually(() => expect(watch.candidates()[1]?.filter((ok) => !ok).length ?? 0).toBeGreaterThanOrEqual(2));
        expect(steps.b).toBe(0);
        expect(await advisoryLocksHeld()).toBe(1);
        const aSoFar = steps.a;
        await eventually(() => expect(steps.a).toBeGreaterThan(aSoFar)); // A keeps going meanwhile

        // when the leader stops
        await a.stop();
        const aAtStop = steps.a;

        // then B takes over, and A steps no more
        await eventually(() => expect(steps.b).toBeGreaterThan(0), 10_000);
        expect(steps.a).toBe(aAtStop);
        expect(await advisoryLocksHeld()).toBe(1);
      } finally {
        await a.stop();
        await b.stop();
        watch.restore();
      }
    });

    it('when the leader\'s lock connection dies, the other candidate takes over and the old leader stands down', async () => {
      const watch = watchLeadership();
      const steps = { a: 0, b: 0 };
      let resumeA!: () => void;
      const frozen = new Promise<void>((resolve) => { resumeA = resolve; });
      const key = `relay-crash-test-${bus.prefix}`;
      // A freezes in its first step, like a stuck process that still holds the lock
      const a = new TailLoop({ url, key, step: async () => { steps.a++; await frozen; return 0; } });
      const b = new TailLoop({ url, key, step: async () => { steps.b++; return 0; } });
      try {
        // given A is leader (frozen mid-step) and B is a refused candidate
        a.start();
        await eventually(() => expect(steps.a).toBe(1));
        b.start();
        await eventually(() => expect(watch.candidates()[1]).toContain(false));
        expect(steps.b).toBe(0);

        // when A's lock connection dies
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_locks
           WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        expect(rows[0]!.n).toBe(1);

        // then B takes over
        await eventually(() => expect(steps.b).toBeGreaterThan(0), 10_000);

        // and when A wakes up it finds it lost the lock and does not step again
        resumeA();
        await eventually(() => expect(watch.candidates()[0]!.slice(1)).toContain(false), 10_000);
        expect(steps.a).toBe(1);
        expect(await advisoryLocksHeld()).toBe(1);
      } finally {
        resumeA();
        await a.stop();
        await b.stop();
        watch.restore();
      }
    });

    it('relays every event exactly once across a hand-over between two relay candidates', async () => {
      await relayUntilCaughtUp();
      const countBefore = (await relayed()).length;
      const errors: unknown[] = [];
      // given a relay that is leader (the only candidate, and it relays) ...
      const first = startRelay(pool, bus, url, (e) => errors.push(e));
      let second: TailLoop | undefined;
      try {
        await inTransaction(pool, (tx) => append(tx, 'handover-1', 2));
        await eventually(async () => expect((await relayed()).length).toBe(countBefore + 2), 15_000);
        // ... and a second candidate on the same bus
        second = startRelay(pool, bus, url, (e) => errors.push(e));

        // when the leader stops
        await first.stop();
        await inTransaction(pool, (tx) => append(tx, 'handover-2', 2));

        // then the remaining candidate relays what follows
        await eventually(async () => expect((await relayed()).length).toBe(countBefore + 4), 15_000);
        const messages = await relayed();
        expect(messages.map((m) => m.event.eventId)).toEqual(await committedOrder());
        expect(new Set(messages.map((m) => m.msgId)).size).toBe(messages.length);
        expect(errors).toEqual([]);
      } finally {
        await first.stop();
        await second?.stop();
      }
    });
  });
});
