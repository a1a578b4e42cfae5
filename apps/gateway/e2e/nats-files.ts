import { randomUUID } from 'node:crypto';
import { Bus } from '@slipway/bus';
import { eventually, filesContaining, natsUrl } from '@slipway/testing';
import { Unconsumed } from '../../../libs/bus/src/probe.testing';

/** The NATS server's store directory, when the test run started the server itself: its files are at hand. */
export const natsStore = process.env.SLIPWAY_TEST_NATS_STORE;

/**
 * Expects the NATS server's files to hold none of the secrets `act` returns, once it has run.
 * A command nobody takes is put in COMMANDS first: its block of the stream's files is not
 * emptied (an emptied block goes, and what was in it), so finding it there afterwards shows
 * the files searched still hold what the stream kept.
 */
export async function expectNoneInNatsFiles(busPrefix: string, act: () => Promise<string[]>): Promise<void> {
  if (!natsStore) throw new Error('SLIPWAY_TEST_NATS_STORE is not set: skip the test when it is not');
  const bus = await Bus.connect({ url: natsUrl(), prefix: busPrefix });
  try {
    const control = `control-${randomUUID()}`;
    await bus.js.publish(bus.subject(Unconsumed.subject), new TextEncoder().encode(control));
    await eventually(() => expect(filesContaining(natsStore!, control)).not.toEqual([]));
    const secrets = await act();
    expect(filesContaining(natsStore, control)).not.toEqual([]);
    for (const secret of secrets) expect(filesContaining(natsStore, secret)).toEqual([]);
  } finally {
    await bus.close();
  }
}
