import { randomUUID } from 'node:crypto';
import { TimeoutError } from '@nats-io/nats-core';
import type { Actor } from '@slipway/contracts';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { acceptedRecord, markAccepted, recordAccepted } from './accepted-commands';
import { Bus } from './bus';
import { CommandBus } from './command-bus';
import { ensureStreams } from './streams';
import { ProbeUnavailable } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * A 202 points at the command's status, which reads "pending" by the record the sender keeps
 * in ACCEPTED: without it, the status reads "never answered 202" (404) until the outcome, and
 * a client that believes it sends the command again under another id.
 */
describe('the record of a 202', () => {
  let bus: Bus;

  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
    await ensureStreams(bus);
  });
  afterAll(async () => {
    await bus?.close();
  });

  it('is tried again when NATS does not take it (a server restarting), and the 202 waits for it', async () => {
    // given JetStream failing the first two tries of the record, as a NATS server killed does
    const publish = bus.js.publish.bind(bus.js);
    let refused = 0;
    const failing = jest.spyOn(bus.js, 'publish').mockImplementation((subject, ...rest) =>
      subject.startsWith(bus.subject('acc.')) && refused++ < 2 ? Promise.reject(new TimeoutError()) : publish(subject, ...rest));
    try {
      // when a command nobody answers is sent (no service runs here)
      const commandId = randomUUID();
      expect(await new CommandBus(bus, 200).send(ProbeUnavailable, {}, { actor, commandId })).toEqual({ status: 'accepted', commandId });
      // then its 202 is recorded all the same
      expect(refused).toBe(3);
      expect(await acceptedRecord(bus, commandId)).toMatchObject({ commandId, subject: ProbeUnavailable.subject });
    } finally {
      failing.mockRestore();
    }
  });

  it('stands, for a sender that records only that the id is pending, when another record does: no try again', async () => {
    const commandId = randomUUID();
    await markAccepted(bus, commandId, ProbeUnavailable.subject, { fingerprint: 'first' });
    const publish = jest.spyOn(bus.js, 'publish');
    try {
      expect(await recordAccepted(bus, commandId, ProbeUnavailable.subject, { onlyIfNone: true }, 1_000)).toBe(true);
      expect(publish).toHaveBeenCalledTimes(1);
      expect(await acceptedRecord(bus, commandId)).toMatchObject({ fingerprint: 'first' });
    } finally {
      publish.mockRestore();
    }
  });
});
