import { CollectionQueue } from './collection-queue';

/** A collection the test finishes when it wants, recording that it started. */
function collection(started: string[], id: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => { finish = resolve; });
  return { work: () => { started.push(id); return done; }, finish };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CollectionQueue', () => {
  it('runs at most its limit at once, the rest in arrival order as others finish', async () => {
    const started: string[] = [];
    const queue = new CollectionQueue(1);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => collection(started, id)) as [ReturnType<typeof collection>, ReturnType<typeof collection>, ReturnType<typeof collection>];
    queue.add('a', a.work);
    queue.add('b', b.work);
    queue.add('c', c.work);
    await settle();
    expect(started).toEqual(['a']);
    a.finish();
    await settle();
    expect(started).toEqual(['a', 'b']);
    b.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    c.finish();
    await queue.close();
  });

  it('collects an export once while it is queued or running; once finished it may be queued again', async () => {
    const started: string[] = [];
    const queue = new CollectionQueue(2);
    const first = collection(started, 'x');
    expect(queue.add('x', first.work)).toBe(true);
    await settle();
    // a redelivered command for the same export while it is being collected
    expect(queue.add('x', collection(started, 'x again').work)).toBe(false);
    first.finish();
    await settle();
    expect(started).toEqual(['x']);
    const later = collection(started, 'x later');
    expect(queue.add('x', later.work)).toBe(true);
    await settle();
    expect(started).toEqual(['x', 'x later']);
    later.finish();
    await queue.close();
  });

  it('keeps going after a collection that fails', async () => {
    const started: string[] = [];
    const queue = new CollectionQueue(1);
    queue.add('bad', () => Promise.reject(new Error('boom')));
    const next = collection(started, 'next');
    queue.add('next', next.work);
    await settle();
    expect(started).toEqual(['next']);
    next.finish();
    await queue.close();
  });

  it('on close drops what has not started and waits for what has', async () => {
    const started: string[] = [];
    const queue = new CollectionQueue(1);
    const running = collection(started, 'running');
    let finished = false;
    queue.add('running', () => running.work().then(() => { finished = true; }));
    queue.add('queued', collection(started, 'queued').work);
    await settle();
    const closed = queue.close();
    expect(queue.add('late', collection(started, 'late').work)).toBe(false);
    running.finish();
    await closed;
    expect(finished).toBe(true);
    await settle();
    expect(started).toEqual(['running']);
  });
});
