import { isCommandId, readsAsSecret } from '../envelope';
import { MAX_LISTED_OBJECTS } from '../config/materialized';
import { PushConfigs, pushIdOf, pushOfChanged } from './operations';

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

describe('the id of the push of a write whose id the suffix makes read as a secret', () => {
  it('given `x-token:`, then its digest names the push, which a service takes (review: the push was refused, the write dead-lettered)', () => {
    expect(readsAsSecret('x-token:')).toBe(false);
    expect(pushIdOf('x-token:')).toMatch(/^[0-9a-f]{64}-push$/);
    expect(readsAsSecret(pushIdOf('x-token:'))).toBe(false);
  });
});

describe('the push a write hands over (pushOfChanged)', () => {
  const names = (count: number) => Array.from({ length: count }, (_, i) => `cm-${i}`);

  it('given as many changed objects as a push lists, then it lists them', () => {
    expect(pushOfChanged(names(MAX_LISTED_OBJECTS), 'w1')).toEqual({ objects: names(MAX_LISTED_OBJECTS) });
  });

  it('given more, then it names the write, whose outcome lists them, and the push takes it', () => {
    const push = pushOfChanged(names(MAX_LISTED_OBJECTS + 1), 'w1');
    expect(push).toEqual({ changedBy: 'w1' });
    expect(PushConfigs.schema.safeParse(push).success).toBe(true);
  });

  it('given both a list and a write, then the push is refused, naming changedBy', () => {
    const parsed = PushConfigs.schema.safeParse({ objects: ['a'], changedBy: 'w1' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['changedBy'], message: 'give objects or changedBy, not both' })]);
  });
});
