import type { Reply } from '@slipway/contracts';
import { CommandBatcher } from './command-batcher';
import type { BatchItem } from './decide-batch';

const item = (streamId: string, commandId: string) => ({ context: { commandId }, spec: { streamId } }) as unknown as BatchItem;

/** A runner that holds each batch until released, recording which batches ran at once. */
function heldRunner() {
  const running: BatchItem[][] = [];
  const overlaps: string[][] = [];
  const release: Array<() => void> = [];
  const run = (items: BatchItem[]) => new Promise<Array<PromiseSettledResult<Reply>>>((resolve) => {
    running.push(items);
    overlaps.push(running.flatMap((batch) => [...new Set(batch.map((i) => i.spec.streamId))]));
    release.push(() => {
      running.splice(running.indexOf(items), 1);
      resolve(items.map((i) => ({ status: 'fulfilled', value: { ok: true, value: i.context.commandId } })));
    });
  });
  return { run, overlaps, release, running };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CommandBatcher', () => {
  it('runs a batch on a stream only while no other batch writes that stream', async () => {
    const runner = heldRunner();
    const batcher = new CommandBatcher(runner.run, 64, 4);
    // given a batch running on stream a
    const first = batcher.submit(item('a', 'a1'));
    await tick();
    expect(runner.running.map((b) => b.map((i) => i.context.commandId))).toEqual([['a1']]);

    // when more commands arrive on a and on b
    const later = ['a2', 'b1', 'a3'].map((id) => batcher.submit(item(id[0]!, id)));
    await tick();
    // then b's starts beside it, a's wait for it
    expect(runner.running.map((b) => b.map((i) => i.context.commandId))).toEqual([['a1'], ['b1']]);

    // and once a's batch is done, a's waiting commands go in one batch, in arrival order
    runner.release[0]!();
    expect(await first).toEqual({ ok: true, value: 'a1' });
    await tick();
    expect(runner.running.map((b) => b.map((i) => i.context.commandId))).toEqual([['b1'], ['a2', 'a3']]);
    runner.release[1]!();
    runner.release[2]!();
    expect(await Promise.all(later)).toEqual(['a2', 'b1', 'a3'].map((value) => ({ ok: true, value })));
    // no two running batches ever shared a stream
    for (const streams of runner.overlaps) expect(streams.filter((s, i) => streams.indexOf(s) !== i)).toEqual([]);
  });

  it('starts as many batches as it may when one ends, not one', async () => {
    const runner = heldRunner();
    const batcher = new CommandBatcher(runner.run, 1, 2);
    const replies = ['a', 'b', 'c', 'd'].map((s) => batcher.submit(item(s, s)));
    await tick();
    expect(runner.running).toHaveLength(2);
    runner.release[0]!();
    runner.release[1]!();
    await tick();
    await tick();
    expect(runner.running.map((b) => b[0]!.context.commandId)).toEqual(['c', 'd']);
    runner.release[2]!();
    runner.release[3]!();
    expect(await Promise.all(replies)).toHaveLength(4);
  });
});
