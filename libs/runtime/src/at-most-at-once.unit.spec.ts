import { DomainError } from '@slipway/contracts';
import { AtMostAtOnce } from './at-most-at-once';

describe('AtMostAtOnce', () => {
  it('runs at most its number at once, refusing the next at once with "retry shortly", and takes more once one ends', async () => {
    const bound = new AtMostAtOnce(2, (most) => `checking ${most} already; retry shortly`);
    const ends: Array<() => void> = [];
    const held = () => bound.run(() => new Promise<string>((resolve) => ends.push(() => resolve('done'))));
    const first = held();
    const second = held();
    // the third is refused at once, having run nothing
    let ran = false;
    const third = bound.run(async () => { ran = true; });
    await expect(third).rejects.toEqual(new DomainError('unavailable', 'checking 2 already; retry shortly'));
    expect(ran).toBe(false);
    // once one ends, another runs; a failure gives its place back too
    ends[0]!();
    await expect(first).resolves.toBe('done');
    await expect(bound.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(bound.run(async () => 'after')).resolves.toBe('after');
    ends[1]!();
    await expect(second).resolves.toBe('done');
  });
});
