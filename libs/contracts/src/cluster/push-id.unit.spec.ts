import { isCommandId } from '../envelope';
import { pushIdOf } from './operations';

describe('the id of the push a write hands over (pushIdOf)', () => {
  it('given a write\'s id, then its push is named after it', () => {
    expect(pushIdOf('idem-4f2a')).toBe('idem-4f2a-push');
  });

  it('given the longest id a write may have, then its push id is one a service takes, and its own', () => {
    const longest = 'k'.repeat(200);
    const other = `${'k'.repeat(199)}j`;
    expect(isCommandId(pushIdOf(longest))).toBe(true);
    expect(isCommandId(pushIdOf(other))).toBe(true);
    expect(pushIdOf(longest)).not.toBe(pushIdOf(other));
    // the same write, delivered again, hands over the same push
    expect(pushIdOf(longest)).toBe(pushIdOf('k'.repeat(200)));
  });

  it('given an id one short of needing its digest, then the push is still named after it', () => {
    const id = 'a'.repeat(195);
    expect(pushIdOf(id)).toBe(`${id}-push`);
    expect(pushIdOf(`${id}b`)).toMatch(/^[0-9a-f]{64}-push$/);
  });
});
