import { randomUUID } from 'node:crypto';
import { command, replySubject, type Actor, type CommandEnvelope } from '@slipway/contracts';
import { appendToStream, findOutcome, inTransaction } from '@slipway/event-log';
import { headers } from '@nats-io/nats-core';
import { eventually, natsUrl } from '@slipway/testing';
import { z } from 'zod';
import { Bus } from './bus';
import { encode } from './codec';
import { commandStatus } from './command-status';
import { readDeadLetters } from './dead-letters';
import { probeRig } from './probe-rig.testing';
import { PROBE_EVENT, PROBE_NOTICED, ProbeEcho, ProbeFlaky, ProbeRefuse, ProbeUnhandled } from './probe.testing';
import { relayBatch } from './relay';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * The JetStream transport against a real NATS server and a real Postgres, beyond settling
 * commands (transport.int.spec.ts): events handed to handlers, queries, answers over the
 * server's max_payload, commands another process publishes, command status, dead letters.
 */
/** A command no service consumes. */
const Unserved = command<z.ZodObject, never>('cmd.unserved.noop.v1', z.object({}));

describe('JetStream transport: events, queries and other publishers against real NATS and Postgres', () => {
  const rig = probeRig();

  it('relays an event too big for the bus without its data, and its handler gets it whole from the log', async () => {
    const text = 'x'.repeat(9 * 1024 * 1024);
    const meta = { commandId: randomUUID(), correlationId: 'big', actor: 'tester', schemaVersion: 1, occurredAt: '2026-12-03T00:00:00Z' };
    await inTransaction(rig.probe.pool, (tx) => appendToStream(tx, `noticed-${randomUUID()}`, 0, [{ type: PROBE_NOTICED, data: { text } }], meta));
    // Refused by the server (max_payload), it would stop the relay at it for good.
    await eventually(async () => expect(await relayBatch(rig.probe.pool, rig.bus)).toBe(0), 30_000, 100);
    const announced = await rig.bus.jsm.streams.getMessage(rig.bus.stream('EVENTS'), { last_by_subj: rig.bus.subject(`evt.${PROBE_NOTICED}`) });
    expect(announced!.json()).toMatchObject({ type: PROBE_NOTICED, data: null, omitted: expect.stringContaining('read it from the log at position') });
    await eventually(async () => expect(rig.probe.recorder.noticed.map((d) => (d as { text: string }).text.length)).toEqual([text.length]), 30_000, 100);
  });

  it('hands event handlers the log\'s event: a message on EVENTS the log does not bear out is dead-lettered, not handled', async () => {
    const noticed = rig.probe.recorder.noticed.length;
    const meta = { commandId: randomUUID(), correlationId: 'real', actor: 'tester', schemaVersion: 1, occurredAt: '2026-12-03T00:00:00Z' };
    const { positions } = await inTransaction(rig.probe.pool, (tx) => appendToStream(tx, `noticed-${randomUUID()}`, 0, [{ type: PROBE_NOTICED, data: { text: 'logged' } }], meta));
    const forge = (fields: Record<string, unknown>) => encode({ eventId: randomUUID(), streamId: 'forged', streamVersion: 1, type: PROBE_NOTICED, data: { text: 'forged' }, metadata: meta, ...fields });
    // another publisher's events: a position the log does not have, and a real position with other content
    const before = (await rig.bus.jsm.streams.info(rig.bus.stream('DEADLETTER'))).state.last_seq;
    for (const body of [forge({ position: 999_999_999 }), forge({ position: positions[0] })]) {
      await rig.bus.js.publish(rig.bus.subject(`evt.${PROBE_NOTICED}`), body, { msgID: randomUUID() });
    }
    // both dead-lettered, in whichever order their handlers (running at once) finished
    await eventually(async () => {
      const { deadLetters } = await readDeadLetters(rig.bus, before, 10);
      expect(deadLetters.filter((d) => d.subject === `evt.${PROBE_NOTICED}`).map((d) => d.reason).sort()).toEqual([
        'PoisonMessage: event at position 999999999 is not in the log',
        `PoisonMessage: event at position ${positions[0]} is not the one the log has there`,
      ].sort());
    });
    // the real event, relayed, is handled, with the log's data
    await eventually(async () => expect(await relayBatch(rig.probe.pool, rig.bus)).toBe(0), 30_000, 100);
    await eventually(async () => expect(rig.probe.recorder.noticed.slice(noticed)).toEqual([{ text: 'logged' }]), 30_000, 100);
  });

  it('pages dead letters by bytes too: a page stops before the letter that would take it past its budget, yet always holds one (probe: ten of 7 MB made one answer)', async () => {
    const before = (await rig.bus.jsm.streams.info(rig.bus.stream('DEADLETTER'))).state.last_seq;
    // given three letters of some 3 KiB each, filed as the bus files them
    for (const n of [1, 2, 3]) {
      const h = headers();
      h.set('Slipway-Reason', `PoisonMessage: letter ${n}`);
      h.set('Slipway-Subject', rig.bus.subject(ProbeFlaky.subject));
      await rig.bus.js.publish(rig.bus.subject(`dead.${ProbeFlaky.subject}`), encode({ note: 'n'.repeat(3_000), n }), { headers: h });
    }
    const bytesOf = (letters: unknown[]) => letters.reduce<number>((sum, letter) => sum + Buffer.byteLength(JSON.stringify(letter)), 0);
    const size = bytesOf((await readDeadLetters(rig.bus, before, 1)).deadLetters);
    // when read page after page with a budget of two of them and a half, and with one below a letter
    const pages = async (budget: number) => {
      const read: Array<Array<{ reason: string }>> = [];
      for (let after = before, page = await readDeadLetters(rig.bus, after, 10, budget); page.deadLetters.length > 0; after = page.next, page = await readDeadLetters(rig.bus, after, 10, budget)) read.push(page.deadLetters);
      return read;
    };
    const budgeted = await pages(Math.floor(size * 2.5));
    const single = await pages(1);
    // then no page holds more than its budget but a page of one, and the pages together hold every letter in order, once
    for (const page of budgeted) expect(page.length === 1 || bytesOf(page) <= Math.floor(size * 2.5)).toBe(true);
    expect(budgeted.some((page) => page.length === 2)).toBe(true);
    for (const page of single) expect(page).toHaveLength(1);
    const mine = (read: Array<Array<{ reason: string }>>) => read.flat().map((d) => d.reason).filter((reason) => reason.startsWith('PoisonMessage: letter '));
    expect(mine(budgeted)).toEqual(['PoisonMessage: letter 1', 'PoisonMessage: letter 2', 'PoisonMessage: letter 3']);
    expect(mine(single)).toEqual(mine(budgeted));
  });

  it('delivers again an event its handler refused "retry shortly", and dead-letters one it refused for good: neither is acked as handled', async () => {
    const before = (await rig.bus.jsm.streams.info(rig.bus.stream('DEADLETTER'))).state.last_seq;
    const meta = { commandId: randomUUID(), correlationId: 'refused', actor: 'tester', schemaVersion: 1, occurredAt: '2026-12-03T00:00:00Z' };
    // given one event refused "unavailable" on its first delivery, and one refused "invalid" on every delivery
    const busy = { text: 'busy', refuse: { code: 'unavailable', times: 1 } };
    const wrong = { text: 'wrong', refuse: { code: 'invalid', times: 99 } };
    await inTransaction(rig.probe.pool, (tx) => appendToStream(tx, `noticed-${randomUUID()}`, 0, [
      { type: PROBE_NOTICED, data: busy }, { type: PROBE_NOTICED, data: wrong },
    ], meta));
    await eventually(async () => expect(await relayBatch(rig.probe.pool, rig.bus)).toBe(0), 30_000, 100);
    // then the first is handled on its next delivery
    await eventually(async () => expect(rig.probe.recorder.noticed).toContainEqual(busy), 30_000, 100);
    // and the second is kept for an operator, with why, and never handled
    await eventually(async () => {
      const { deadLetters } = await readDeadLetters(rig.bus, before, 10);
      expect(deadLetters.filter((d) => d.subject === `evt.${PROBE_NOTICED}`).map((d) => d.reason)).toEqual([expect.stringContaining('probe refuses event')]);
    }, 30_000, 100);
    expect(rig.probe.recorder.noticed).not.toContainEqual(wrong);
  });

  it('answers queries over request/reply, refusals, crashes and a database down included', async () => {
    await expect(rig.commands.query(ProbeEcho, { text: 'hello' }, 5_000, actor))
      .resolves.toEqual({ ok: true, value: { text: 'hello', actor: 'tester' } });
    await expect(rig.commands.query(ProbeEcho, { text: 'ghost', refuse: true }))
      .resolves.toEqual({ ok: false, error: { code: 'not-found', message: 'no ghost' } });
    await expect(rig.commands.query(ProbeEcho, { text: 'x', crash: true }))
      .resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    // A dependency down for now is the caller's 503, not a fault of the service.
    await expect(rig.commands.query(ProbeEcho, { text: 'x', databaseDown: true }))
      .resolves.toEqual({ ok: false, error: { code: 'unavailable', message: 'a service this query needs is not available right now; retry shortly' } });
    // A query subject of the service that nobody handles is answered, not left to time out.
    const missing = { ...ProbeEcho, subject: 'qry.probe.missing.v1' };
    await expect(rig.commands.query(missing, { text: 'x' })).resolves.toMatchObject({ ok: false, error: { code: 'not-found' } });
    // A body that is not JSON is the sender's mistake, said as such (it was answered `internal`).
    const garbled = await rig.bus.nc.request(rig.bus.subject(ProbeEcho.subject), new TextEncoder().encode('{not json'), { timeout: 5_000 });
    expect(JSON.parse(garbled.string())).toEqual({ ok: false, error: { code: 'invalid', message: expect.stringContaining('not valid JSON') } });
  });

  it('answers a query whose answer is over the server\'s max_payload, in parts put back together', async () => {
    const limit = rig.bus.nc.info!.max_payload;
    const answer = await rig.commands.query(ProbeEcho, { text: 'xyz', repeat: limit }, 20_000, actor);
    expect(answer.ok).toBe(true);
    const { text } = (answer as { value: { text: string } }).value;
    expect(text.length).toBe(3 * limit);
    expect(text === 'xyz'.repeat(limit)).toBe(true);
  });

  it('a command whose reply is over max_payload is answered at once with a note, and its outcome is recorded whole', async () => {
    const limit = rig.bus.nc.info!.max_payload;
    const commandId = randomUUID();
    const sent = await rig.commands.send(ProbeFlaky, { failTimes: 0, replyBytes: limit }, { actor, commandId, waitMs: 20_000 });
    expect(sent).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'internal', message: expect.stringContaining(`/api/v1/commands/${commandId}`) } } });
    const recorded = await findOutcome(rig.probe.pool, commandId);
    expect(recorded?.reply).toMatchObject({ ok: true, value: { count: 1 } });
    expect((recorded?.reply as { value: { padding: string } }).value.padding).toHaveLength(limit);
  });

  it('handles a command published raw by another process exactly like one sent by CommandBus', async () => {
    // given another process with its own connection and no CommandBus
    const other = await Bus.connect({ url: natsUrl(), prefix: rig.bus.prefix.slice(0, -1), name: 'other-process' });
    try {
      const commandId = randomUUID();
      const envelope: CommandEnvelope = { commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), payload: { failTimes: 1 } };
      const replies = other.nc.subscribe(other.subject(replySubject(commandId)), { max: 1, timeout: 20_000 });

      // when it publishes a contract envelope straight to JetStream
      await other.js.publish(other.subject(ProbeFlaky.subject), encode(envelope), { msgID: commandId });

      // then it is retried, answered on res.<commandId>, and takes effect once
      let reply: unknown;
      for await (const msg of replies) reply = msg.json();
      expect(reply).toEqual({ ok: true, value: { count: 1 } });
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1, 2]);
      expect(await rig.effects(commandId)).toEqual({ events: 1, effects: 1, outcomes: 1 });
      const { rows } = await rig.probe.pool.query('SELECT type, metadata FROM events WHERE stream_id = $1', [`probe-${commandId}`]);
      expect(rows).toEqual([{ type: PROBE_EVENT, metadata: expect.objectContaining({ commandId, actor: 'tester' }) }]);
    } finally {
      await other.close();
    }
  });

  it('reads a command its sender stopped waiting for as pending, then its outcome; an id never sent is unknown', async () => {
    // given a command no service consumes, whose sender gave up at once (the gateway's 202)
    const queued = await rig.commands.send(Unserved, {}, { actor, waitMs: 0 });
    expect(queued.status).toBe('accepted');
    expect(await commandStatus(rig.probe.pool, rig.bus, queued.commandId)).toEqual({ commandId: queued.commandId, status: 'pending', subject: Unserved.subject });
    // an id nobody handed over has no status to wait for
    const typo = `${queued.commandId}-typo`;
    expect(await commandStatus(rig.probe.pool, rig.bus, typo)).toEqual({ commandId: typo, status: 'unknown' });
    // and a command handed over that way reads as its outcome once handled
    const refused = await rig.commands.send(ProbeRefuse, {}, { actor, waitMs: 0 });
    await eventually(async () => expect(await commandStatus(rig.probe.pool, rig.bus, refused.commandId)).toMatchObject({ status: 'failed', subject: ProbeRefuse.subject }));
  });

  it('pages the dead letters by sequence, over messages an operator removed', async () => {
    // given three commands of a subject no handler takes, filed one after the other
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const before = (await rig.bus.jsm.streams.info(rig.bus.stream('DEADLETTER'))).state.last_seq;
    for (const [i, commandId] of ids.entries()) {
      await rig.bus.js.publish(rig.bus.subject(ProbeUnhandled.subject), encode({ commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), payload: { i } }), { msgID: commandId });
      await eventually(async () => expect((await rig.bus.jsm.streams.info(rig.bus.stream('DEADLETTER'))).state.last_seq).toBe(before + i + 1), 20_000);
    }
    // and the middle one removed by an operator
    await rig.bus.jsm.streams.deleteMessage(rig.bus.stream('DEADLETTER'), before + 2);

    // then a page skips the gap, and the next page starts after the last one it gave
    const all = await readDeadLetters(rig.bus, before, 10);
    expect(all.deadLetters.map((d) => [d.sequence, d.commandId, d.payload])).toEqual([[before + 1, ids[0], { i: 0 }], [before + 3, ids[2], { i: 2 }]]);
    expect(all.deadLetters[0]).toMatchObject({ subject: ProbeUnhandled.subject, deliveries: 3, reason: expect.stringContaining('no handler') });
    const first = await readDeadLetters(rig.bus, before, 1);
    expect(first).toEqual({ deadLetters: [all.deadLetters[0]], next: before + 1 });
    const second = await readDeadLetters(rig.bus, first.next, 1);
    expect(second.deadLetters.map((d) => d.sequence)).toEqual([before + 3]);
    expect(await readDeadLetters(rig.bus, second.next, 1)).toEqual({ deadLetters: [], next: second.next });
  });
});
