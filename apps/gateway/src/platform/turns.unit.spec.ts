import { Turns } from './turns';

/** Lets every promise reaction run (no timers involved). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Turns', () => {
  it('gives units while they last, and the next taker its units once enough are given back', async () => {
    const turns = new Turns(4);
    const first = await turns.take(3);
    let second: (() => void) | undefined;
    void turns.take(2).then((release) => { second = release; });
    await settle();
    expect(second).toBeUndefined();
    first!();
    await settle();
    expect(second).toBeInstanceOf(Function);
  });

  it('serves takers in order of asking: a small one does not pass a large one waiting before it', async () => {
    const turns = new Turns(4);
    const held = await turns.take(2);
    const order: string[] = [];
    void turns.take(4).then(() => order.push('large'));
    void turns.take(1).then(() => order.push('small'));
    await settle();
    // two units are free: enough for the small one, which waits behind the large one all the same
    expect(order).toEqual([]);
    held!();
    await settle();
    expect(order).toEqual(['large']);
  });

  it('gives a taking larger than the whole the whole, once everything is free', async () => {
    const turns = new Turns(4);
    const held = await turns.take(1);
    let whole: (() => void) | undefined;
    void turns.take(10).then((release) => { whole = release; });
    await settle();
    expect(whole).toBeUndefined();
    held!();
    await settle();
    expect(whole).toBeInstanceOf(Function);
    // and while it holds the whole, nothing else is given
    let next: (() => void) | undefined;
    void turns.take(1).then((release) => { next = release; });
    await settle();
    expect(next).toBeUndefined();
    whole!();
    await settle();
    expect(next).toBeInstanceOf(Function);
  });

  it('answers undefined to a taker whose signal aborts while it waits, and lets those behind it go on', async () => {
    const turns = new Turns(4);
    const held = await turns.take(3);
    const gone = new AbortController();
    const large = turns.take(4, gone.signal);
    let small: (() => void) | undefined;
    void turns.take(1).then((release) => { small = release; });
    await settle();
    expect(small).toBeUndefined();
    gone.abort();
    expect(await large).toBeUndefined();
    await settle();
    // the one unit free is the small one's now that the large one left the line
    expect(small).toBeInstanceOf(Function);
    held!();
    small!();
    // nothing was lost: the whole can be taken again
    expect(await turns.take(4)).toBeInstanceOf(Function);
  });

  it('answers undefined at once to a signal aborted already, taking nothing', async () => {
    const turns = new Turns(2);
    expect(await turns.take(1, AbortSignal.abort())).toBeUndefined();
    expect(await turns.take(2)).toBeInstanceOf(Function);
  });

  it('gives back a taking once, however often its release is called', async () => {
    const turns = new Turns(2);
    const release = await turns.take(1);
    release!();
    release!();
    await turns.take(2);
    let third: (() => void) | undefined;
    void turns.take(1).then((r) => { third = r; });
    await settle();
    expect(third).toBeUndefined();
  });
});
