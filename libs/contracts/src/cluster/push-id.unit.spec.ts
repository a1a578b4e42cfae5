import { isCommandId } from '../envelope';
import { MAX_PUSHED_OBJECTS, PushConfigs, pushIdOf, pushOfChanged } from './operations';

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

describe('pushOfChanged', () => {
  it('names the objects a write changed, or none (every object) when they are more than a push names, which its schema would refuse after the write committed', () => {
    expect(pushOfChanged(['a', 'b'])).toEqual({ objects: ['a', 'b'] });
    const many = Array.from({ length: MAX_PUSHED_OBJECTS + 1 }, (_, i) => `o${i}`);
    expect(pushOfChanged(many)).toEqual({});
    expect(PushConfigs.schema.safeParse(pushOfChanged(many)).success).toBe(true);
    expect(PushConfigs.schema.safeParse({ objects: many }).success).toBe(false);
  });
});
