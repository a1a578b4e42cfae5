import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNats, type RunningNats } from '@slipway/local-stack';
import { eventually, scratchDir } from '@slipway/testing';
import { Bus } from './bus';
import { ATOMIC_BATCH_MIN } from './atomic-batch';
import { GroupPublisher, PublishNotSent, PublishUnconfirmed } from './group-publisher';

// A NATS server of this file's own, so stalling it disturbs no other test file.
describe('GroupPublisher while the server is slow to store (real JetStream)', () => {
  let nats: RunningNats;
  let bus: Bus;
  const storeDir = scratchDir('group-publisher');
  const natsPid = () => Number(readFileSync(join(storeDir, 'nats.pid'), 'utf8'));
  const stored = async () => (await bus.jsm.streams.info(bus.stream('EVENTS'))).state.messages;
  const message = (id: string, bytes = 16, answerBy?: number) => ({ subject: bus.subject(`evt.group.${id}`), data: new Uint8Array(bytes), msgId: id, answerBy });
  const outcomes = (settled: PromiseSettledResult<unknown>[]) => ({
    sent: settled.filter((s) => s.status === 'fulfilled').length,
    notSent: settled.filter((s) => s.status === 'rejected' && s.reason instanceof PublishNotSent).length,
  });

  beforeAll(async () => {
    nats = await startNats({ storeDir, syncAlways: false });
    bus = await Bus.connect({ url: nats.url });
  });
  afterAll(async () => {
    await bus.close();
    await nats.stop();
  });
  beforeEach(() => bus.jsm.streams.purge(bus.stream('EVENTS')));

  it('refuses unsent what waited behind a stalled server past its sender\'s wait, and never stores it later', async () => {
    expect(bus.atomicBatches).toBe(true);
    const publisher = new GroupPublisher(bus);
    process.kill(natsPid(), 'SIGSTOP');
    let resumed = false;
    const resume = () => {
      if (!resumed) process.kill(natsPid(), 'SIGCONT');
      resumed = true;
    };
    try {
      // when, in one turn, more than the two batches in flight take (500 each) is published
      // by senders who wait a second, and the server goes on after a second and a half
      const answerBy = Date.now() + 1_000;
      const publishes = Array.from({ length: 1_500 }, (_, i) => publisher.publish(message(`stalled-${i}`, 16, answerBy)));
      setTimeout(resume, 1_500);
      const result = outcomes(await Promise.allSettled(publishes));
      // then the two batches are stored (late), and the rest, held past its senders' wait, was never sent
      expect(result).toEqual({ sent: 1_000, notSent: 500 });
    } finally {
      resume();
    }
    expect(await stored()).toBe(1_000);
  });

  it('calls unconfirmed, not refused, a message whose batch went unanswered and whose publish alone is then refused: the batch may be stored', async () => {
    const publisher = new GroupPublisher(bus);
    // given a server that does not answer the batch in time (stopped), then refuses the message
    // published alone (as JetStream not ready yet after a restart does, "no responders")
    process.kill(natsPid(), 'SIGSTOP');
    const alone = jest.spyOn(bus.js, 'publish').mockRejectedValue(new Error('no responders'));
    try {
      // when enough are published in one turn to go as a batch
      const answerBy = Date.now() + 1_500;
      const sent = await Promise.allSettled(Array.from({ length: ATOMIC_BATCH_MIN }, (_, i) => publisher.publish(message(`unanswered-then-refused-${i}`, 16, answerBy))));
      // then each sender is told it may have been taken, not that it was not
      expect(sent.map((s) => s.status === 'rejected' && s.reason instanceof PublishUnconfirmed)).toEqual(sent.map(() => true));
      expect(alone).toHaveBeenCalled();
    } finally {
      alone.mockRestore();
      process.kill(natsPid(), 'SIGCONT');
    }
    // and so it was: the server, going on, stores the batch
    await eventually(async () => expect(await stored()).toBe(ATOMIC_BATCH_MIN), 10_000, 50);
  });

  it('refuses at once, unsent, what goes past the bound of messages or bytes waiting', async () => {
    // given the bound of 20 messages waiting
    const byCount = new GroupPublisher(bus, 2, { messages: 20, bytes: 1 << 30 });
    const counted = outcomes(await Promise.allSettled(Array.from({ length: 30 }, (_, i) => byCount.publish(message(`count-${i}`)))));
    expect(counted).toEqual({ sent: 20, notSent: 10 });
    // given the bound of 10 KiB waiting, and messages of 1 KiB
    const byBytes = new GroupPublisher(bus, 2, { messages: 1_000, bytes: 10 * 1024 });
    const weighed = outcomes(await Promise.allSettled(Array.from({ length: 15 }, (_, i) => byBytes.publish(message(`bytes-${i}`, 1024)))));
    expect(weighed).toEqual({ sent: 10, notSent: 5 });
    expect(await stored()).toBe(30);
  });
});
