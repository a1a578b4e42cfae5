import type { PubAck } from '@nats-io/jetstream';
import { appendToStream, inTransaction, loadCheckpoint, type Checkpoint } from '@slipway/event-log';
import { eventually } from '@slipway/testing';
import type { Bus } from './bus';
import { relayBatch } from './relay';
import { RELAY_TEST_META as meta, RELAY_TEST_TYPE as TYPE, relayRig, type RelayRig } from './relay-rig.testing';

/**
 * The relay from the Postgres log to the EVENTS stream, against real Postgres and NATS.
 * (Which candidate relays, and hand-overs between them: relay-leadership.int.spec.ts.)
 */
describe('relay: Postgres log → EVENTS', () => {
  const rig = relayRig();
  let pool: RelayRig['pool'];
  let bus: Bus;
  beforeAll(() => ({ pool, bus } = rig));
  const { append, open, relayed, committedOrder, relayUntilCaughtUp } = rig;

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

  it('keeps the later checkpoint when a step that lost its leadership finishes after the next leader has stored its own', async () => {
    await relayUntilCaughtUp();
    await inTransaction(pool, (tx) => append(tx, 'stale-a', 1));
    // A step that dawdles between publish and checkpoint (its lock's connection dropped
    // meanwhile), while the next leader relays this event and one more.
    let resume!: () => void;
    const dawdled = new Promise<void>((resolve) => (resume = resolve));
    let published!: () => void;
    const stalled = new Promise<void>((resolve) => (published = resolve));
    const stale = relayBatch(pool, bus, 500, { afterPublish: async () => { published(); await dawdled; } });
    await stalled;
    await inTransaction(pool, (tx) => append(tx, 'stale-b', 1));
    const later = await relayUntilCaughtUp();
    resume();
    await stale;
    expect(await loadCheckpoint(pool, 'relay')).toEqual(later);
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
});
