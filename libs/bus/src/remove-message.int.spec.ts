import { command } from '@slipway/contracts';
import { z } from 'zod';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { removeMessage } from './remove-message';
import { ensureStreams } from './streams';

const Secret = command('cmd.erasetest.secret.v1', z.unknown());

describe('removeMessage against real JetStream', () => {
  let bus: Bus;
  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
    await ensureStreams(bus);
  });
  afterAll(() => bus?.close());

  it('erases a stored message, and takes one erased already as done (a delivery run again after a lost answer)', async () => {
    const { seq } = await bus.js.publish(bus.subject(Secret.subject), JSON.stringify({ commandId: 'e1', payload: { password: 'x' } }));
    await removeMessage(bus, bus.stream('COMMANDS'), seq, { erase: true });
    expect(await bus.jsm.streams.getMessage(bus.stream('COMMANDS'), { seq })).toBeNull();
    await expect(removeMessage(bus, bus.stream('COMMANDS'), seq, { erase: true })).resolves.toBeUndefined();
  });

  it('takes a message between others, removed already, as removed (the server answers that case otherwise)', async () => {
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++) seqs.push((await bus.js.publish(bus.subject('dead.cmd.erasetest.letter'), 'x')).seq);
    await removeMessage(bus, bus.stream('DEADLETTER'), seqs[1]!, { erase: false });
    await expect(removeMessage(bus, bus.stream('DEADLETTER'), seqs[1]!, { erase: false })).resolves.toBeUndefined();
    expect(await bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { seq: seqs[2]! })).not.toBeNull();
  });

  it('still fails for anything else (a stream that is not there)', async () => {
    await expect(removeMessage(bus, `NO_SUCH_STREAM_${bus.prefix.replace(/\W/g, '')}`, 1, { erase: false })).rejects.toThrow(/stream not found/);
  });
});
