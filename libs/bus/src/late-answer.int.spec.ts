import { randomUUID } from 'node:crypto';
import type { Actor } from '@slipway/contracts';
import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { CommandBus } from './command-bus';
import { expectRetriedThenGivenUp, ProbeUnavailable, startProbe, type RunningProbe } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * A "retry shortly" refusal is answered to a sender that still waits, and the message is
 * acked: the sender decides whether to resend. When recording that refusal takes longer
 * than the sender's wait (a busy database), the sender has been told 202 meanwhile and
 * would never see the answer; acked then, the command would be retried by nobody.
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
});
