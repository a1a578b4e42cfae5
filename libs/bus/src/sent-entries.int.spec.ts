import { randomUUID } from 'node:crypto';
import type { Actor, Reply } from '@slipway/contracts';
import { findOutcome } from '@slipway/event-log';
import { probeRig } from './probe-rig.testing';
import { ProbeEcho, ProbeFlaky } from './probe.testing';
import { MAX_SENT_ENTRIES, TOO_MANY_ENTRIES } from './sent-entries';

const actor: Actor = { principal: 'tester', kind: 'token' };

/** A map of `keys` keys, as text: the probe's body, of 600,000 keys (7.9 MiB), held the deployer 10.8 s. */
const manyKeys = (keys: number) => `{${Array.from({ length: keys }, (_, i) => `"k${i}":"v"`).join(',')}}`;
const envelopeAround = (commandId: string, payload: string) =>
  `{"commandId":"${commandId}","correlationId":"${commandId}","actor":${JSON.stringify(actor)},"issuedAt":"${new Date().toISOString()}","payload":${payload}}`;

/**
 * A body of more keys and list items than any contract takes is refused before it is read, so
 * that the service's other requests are answered meanwhile (resource probe: queries through
 * the gateway were answered 503 while a command of 600,000 keys was read for 10 s).
 */
describe('JetStream transport: bodies of more entries than a sent message may hold', () => {
  const rig = probeRig();
  const manyKeysPayload = manyKeys(600_000);

  it('dead-letters such a command on its first delivery, unread, and answers every query sent while it is handled', async () => {
    const commandId = randomUUID();
    const body = new TextEncoder().encode(envelopeAround(commandId, manyKeysPayload));
    expect(body.length).toBeLessThan(rig.bus.nc.info!.max_payload);
    const { seq } = await rig.bus.js.publish(rig.bus.subject(ProbeFlaky.subject), body, { msgID: commandId });

    // Queries one after another until the command has left its stream: each was answered.
    const answers: Reply<unknown>[] = [];
    do answers.push(await rig.commands.query(ProbeEcho, { text: 'meanwhile' }, 5_000, actor));
    while (await rig.bus.jsm.streams.getMessage(rig.bus.stream('COMMANDS'), { seq }));
    expect(answers).toEqual(answers.map(() => ({ ok: true, value: { text: 'meanwhile', actor: 'tester' } })));

    const dead = await rig.bus.jsm.streams.getMessage(rig.bus.stream('DEADLETTER'), { last_by_subj: rig.bus.subject(`dead.${ProbeFlaky.subject}`) });
    expect(dead?.header.get('Slipway-Reason')).toBe(`PoisonMessage: ${TOO_MANY_ENTRIES}`);
    expect(dead?.header.get('Slipway-Deliveries')).toBe('1');
    expect(dead?.header.get('Slipway-Msg-Id')).toBe(commandId);
    // Kept as its size: redacting it for the letter would read it after all.
    expect(dead?.header.get('Slipway-Undecodable-Bytes')).toBe(String(body.length));
    // Its status reads failed, saying why, under the id it was published with (not pending for good).
    expect((await findOutcome(rig.probe.pool, commandId))?.reply).toEqual({
      ok: false, error: { code: 'invalid', message: `the command could not be read: ${TOO_MANY_ENTRIES}` },
    });
  });

  it('refuses such a command or query at its sender, before anything is published (a client told 202 would wait on a dead letter)', async () => {
    const streamBefore = await rig.bus.jsm.streams.info(rig.bus.stream('COMMANDS'));
    const payload = JSON.parse(manyKeys(MAX_SENT_ENTRIES)) as never;
    const bound = `more than ${MAX_SENT_ENTRIES} keys and list items in all`;
    await expect(rig.commands.send(ProbeFlaky, payload, { actor, waitMs: 1_000 })).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining(`a command of ${bound}`) });
    await expect(rig.commands.query(ProbeEcho, payload, 5_000, actor)).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining(`a query of ${bound}`) });
    expect((await rig.bus.jsm.streams.info(rig.bus.stream('COMMANDS'))).state.last_seq).toBe(streamBefore.state.last_seq);
  });

  it('refuses such a query invalid, naming the bound, and answers one of the bound\'s size', async () => {
    const ask = (payload: string) => rig.bus.nc.request(rig.bus.subject(ProbeEcho.subject), new TextEncoder().encode(envelopeAround(randomUUID(), payload)), { timeout: 30_000 });
    const refused = await ask(manyKeysPayload);
    expect(JSON.parse(refused.string())).toEqual({ ok: false, error: { code: 'invalid', message: `a query is a JSON envelope ({"payload": ...}): ${TOO_MANY_ENTRIES}` } });

    // Besides the list's items the body holds nine entries: the envelope's five keys, the actor's two, the payload's two.
    const atTheBound = await ask(`{"text":"x","pad":[${Array.from({ length: MAX_SENT_ENTRIES - 9 }, () => '0').join(',')}]}`);
    expect(JSON.parse(atTheBound.string())).toEqual({ ok: true, value: { text: 'x', actor: 'tester' } });
  });
});
