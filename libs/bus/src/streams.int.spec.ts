import { natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { ensureStreams, EVENTS_MAX_BYTES } from './streams';

/** The streams on data an earlier version made are brought to this version's settings. */
describe('ensureStreams (real JetStream)', () => {
  let bus: Bus;
  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterAll(() => bus?.close());

  const events = async () => (await bus.jsm.streams.info(bus.stream('EVENTS'))).config;

  it('bounds EVENTS by bytes, also where an earlier version made it unbounded, and keeps what it holds', async () => {
    expect((await events()).max_bytes).toBe(EVENTS_MAX_BYTES);
    // given EVENTS as an earlier version made it, holding an event
    await bus.jsm.streams.update(bus.stream('EVENTS'), { ...(await events()), max_bytes: -1 });
    await bus.js.publish(bus.subject('evt.streams-test'), new Uint8Array([1]));
    expect((await events()).max_bytes).toBe(-1);
    // when this version starts on it
    await ensureStreams(bus);
    // then it has the bound, its other settings and its event
    const config = await events();
    expect(config).toMatchObject({ max_bytes: EVENTS_MAX_BYTES, max_age: 7 * 24 * 3600 * 1e9, discard: 'old' });
    expect((await bus.jsm.streams.info(bus.stream('EVENTS'))).state.messages).toBe(1);
  });
});
