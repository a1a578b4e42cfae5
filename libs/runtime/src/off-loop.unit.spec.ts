import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { DomainError } from '@slipway/contracts';
import { OffLoop, OffLoopBusy, READ_OFF_LOOP_FROM } from './off-loop';

describe('OffLoop', () => {
  const loop = new OffLoop(path.join(__dirname, 'off-loop.fixture.ts'));
  afterAll(() => loop.close());

  it('runs the named export on another thread and gives back its value', async () => {
    expect(await loop.run<number>('whereRun')).not.toBe(threadId);
    expect(await loop.run('echo', { a: [1, 'two', null], b: { c: true } })).toEqual({ a: [1, 'two', null], b: { c: true } });
  });

  it('works items out ahead only when they are long together, and leaves them to be done where needed when the worker fails', async () => {
    expect(await loop.ahead('echo', [['a', 'b']], READ_OFF_LOOP_FROM - 1)).toBeUndefined();
    // echo gives back its one argument, the list of items itself.
    expect(await loop.ahead('echo', ['a', 'b'], READ_OFF_LOOP_FROM)).toEqual(['a', 'b']);
    expect(await loop.ahead('fail', ['broken'], READ_OFF_LOOP_FROM)).toBeUndefined();
  });

  it('gives back a DomainError as the refusal it was, and any other error by its message', async () => {
    const refused = await loop.run('refuse', 'no good', 'spec.name').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'invalid', message: 'no good', field: 'spec.name' });
    const failed = await loop.run('fail', 'broken').catch((error: unknown) => error);
    expect(failed).not.toBeInstanceOf(DomainError);
    expect((failed as Error).message).toBe('broken');
  });

  it('fails the calls of a worker that exits, and runs the next on a new worker', async () => {
    const before = await loop.run<number>('whereRun');
    await expect(loop.run('exit', 3)).rejects.toThrow(/exited \(3\)/);
    const after = await loop.run<number>('whereRun');
    expect(after).not.toBe(before);
    expect(after).not.toBe(threadId);
  });

  it('refuses arguments that cannot be copied to the worker without leaving the call pending', async () => {
    await expect(loop.run('echo', () => 1)).rejects.toThrow(/could not be cloned/);
    expect(await loop.run('echo', 2)).toBe(2);
  });

  it('keeps the process alive while a call is under way, and not once the worker is idle', () => {
    // A process of its own, whose only work is the call: it must print the value, then end by itself.
    const program = `const { OffLoop } = require(${JSON.stringify(path.join(__dirname, 'off-loop.ts'))});
      new OffLoop(${JSON.stringify(path.join(__dirname, 'off-loop.fixture.ts'))}).run('echo', 'answered').then((v) => console.log(v));`;
    const compile = path.resolve(__dirname, '../../../scripts/register-ts.js');
    expect(execFileSync(process.execPath, ['--require', compile, '-e', program], { encoding: 'utf8', timeout: 30_000 }).trim()).toBe('answered');
  });

  it('refuses a call past maxWaiting (OffLoopBusy) without queueing it, and takes calls again once those waiting are done', async () => {
    const bounded = new OffLoop(path.join(__dirname, 'off-loop.fixture.ts'), { maxWaiting: 2 });
    try {
      const first = bounded.run<number>('spin', 300);
      const second = bounded.run('echo', 'second');
      await expect(bounded.run('echo', 'third')).rejects.toBeInstanceOf(OffLoopBusy);
      expect(await first).toBeGreaterThan(0);
      expect(await second).toBe('second');
      expect(await bounded.run('echo', 'fourth')).toBe('fourth');
    } finally {
      await bounded.close();
    }
  });

  it('stops a worker idle for idleMs, and starts another for the next call', async () => {
    const brief = new OffLoop(path.join(__dirname, 'off-loop.fixture.ts'), { idleMs: 20 });
    try {
      const first = await brief.run<number>('whereRun');
      expect(await brief.run<number>('whereRun')).toBe(first);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await brief.run<number>('whereRun')).not.toBe(first);
    } finally {
      await brief.close();
    }
  });
});
