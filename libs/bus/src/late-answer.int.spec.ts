import { randomUUID } from 'node:crypto';
import { replySubject, type Actor, type CommandEnvelope } from '@slipway/contracts';
import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { encode } from './codec';
import { CommandBus } from './command-bus';
import { expectRetriedThenGivenUp, ProbeUnavailable, startProbe, type RunningProbe } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * A "retry shortly" refusal is answered to a sender that still waits, and the message is
 * acked: the sender decides whether to resend. When recording that refusal takes longer
 * than the sender's wait (a busy database), the sender has been told 202 meanwhile and
 * would never see the answer; acked then, the command would be retried by nobody. The
 * same holds for an answer lost on its way (the sender reconnecting): it must be confirmed.
 */
describe('a retryable refusal recorded after the sender stopped waiting', () => {
  let probe: RunningProbe;
  let bus: Bus;

  beforeAll(async () => {
    const prefix = testBusPrefix();
    probe = await startProbe({ natsUrl: natsUrl(), prefix, databaseUrl: await createTestDatabase(), maxDeliveries: 3, slowRetryableRecordMs: 1_500 });
    bus = await Bus.connect({ url: natsUrl(), prefix });
  });
  afterAll(async () => {
    await bus?.close();
    await probe?.close();
  });

  it('is retried by the bus, not acked unanswered, and ends with an outcome', async () => {
    const commandId = randomUUID();
    // the sender waits 1.2 s, recording the refusal takes 1.5 s
    expect(await new CommandBus(bus).send(ProbeUnavailable, {}, { actor, commandId, waitMs: 1_200 })).toMatchObject({ status: 'accepted' });
    await expectRetriedThenGivenUp(probe, commandId);
  });

  it('is retried by the bus when the sender, still waiting, does not confirm the answer (lost on its way)', async () => {
    // given a sender that waits 10 s but, its reply lost, never confirms the answer it was sent
    const commandId = randomUUID();
    const now = Date.now();
    const envelope: CommandEnvelope = {
      commandId, correlationId: commandId, actor, issuedAt: new Date(now).toISOString(), repliesUntil: new Date(now + 10_000).toISOString(), payload: {},
    };
    const answers = bus.nc.subscribe(bus.subject(replySubject(commandId)), { max: 1 });
    await bus.js.publish(bus.subject(ProbeUnavailable.subject), encode(envelope), { msgID: commandId });
    // then the answer came, as a request to confirm; unconfirmed, the bus retried the command
    for await (const answer of answers) expect(answer.reply).toBeTruthy();
    await expectRetriedThenGivenUp(probe, commandId);
  });

  it('is let go once a waiting sender confirms it (CommandBus does), and not retried', async () => {
    const commandId = randomUUID();
    // (a wait the answer comes well within: its record takes 1.5 s here, which left 5 s some 3.5 s to spare)
    const sent = await new CommandBus(bus).send(ProbeUnavailable, {}, { actor, commandId, waitMs: 20_000 });
    expect(sent).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } });
    // acked, so gone from the work queue (a command kept for a retry stays pending there)
    await eventually(async () => expect(await bus.jsm.consumers.info(bus.stream('COMMANDS'), 'probe-commands')).toMatchObject({ num_pending: 0, num_ack_pending: 0 }));
    expect((await bus.jsm.streams.info(bus.stream('COMMANDS'))).state.messages).toBe(0);
    expect(probe.recorder.deliveries.get(commandId)).toEqual([1]);
  });
});
