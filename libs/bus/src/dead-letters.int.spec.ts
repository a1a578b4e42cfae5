import { headers } from '@nats-io/nats-core';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { DEAD_LETTER_HEADERS, readDeadLetter } from './dead-letters';

/**
 * DEADLETTER keeps messages indefinitely, and letters filed by an older Slipway kept more
 * than values under secret-named keys: what an operator reads must be redacted as events are.
 */
describe('readDeadLetter', () => {
  let bus: Bus;

  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterAll(() => bus?.close());

  it('given a filed patch command whose text holds secrets, shows the text with them redacted', async () => {
    const text = '# target: db\ndata:\n  password: "DLQSecretA1"\n  note: "token=DLQSecretB2"\n  url: postgres://u:DLQSecretC3@db/app\n';
    const body = { commandId: 'c-dlq', actor: { principal: 'admin', kind: 'token' }, payload: { text, description: 'rotate' } };
    const h = headers();
    h.set(DEAD_LETTER_HEADERS.reason, 'failed: could not apply password: "DLQSecretD4"');
    h.set(DEAD_LETTER_HEADERS.subject, bus.subject('cmd.config.apply-patches.v1'));
    h.set(DEAD_LETTER_HEADERS.deliveries, '1');
    const { seq } = await bus.js.publish(bus.subject('dead.cmd.config.apply-patches.v1'), JSON.stringify(body), { headers: h });

    const letter = await readDeadLetter(bus, seq);

    expect(JSON.stringify(letter)).not.toMatch(/DLQSecret/);
    expect(letter).toMatchObject({ commandId: 'c-dlq', subject: 'cmd.config.apply-patches.v1', payload: { description: 'rotate' } });
    expect((letter!.payload as { text: string }).text).toContain('note:');
  });
});
