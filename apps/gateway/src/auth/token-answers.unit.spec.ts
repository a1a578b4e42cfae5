import type { Principal } from '@slipway/contracts';
import { KEEP_MS, MOST_REFUSALS, TokenAnswers } from './token-answers';

const principal: Principal = { principal: 'ci', grants: [] };
const refused = { refused: 'the token is not valid' };

describe('TokenAnswers', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps a principal or a refusal by the token\'s hash for KEEP_MS, the latest answer replacing the other', () => {
    const answers = new TokenAnswers();
    answers.keep('a', refused);
    answers.keep('b', { principal });
    expect([answers.recall('a'), answers.recall('b'), answers.recall('c')]).toEqual([refused, { principal }, undefined]);
    answers.keep('a', { principal });
    expect(answers.recall('a')).toEqual({ principal });
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + KEEP_MS + 1);
    expect(answers.recall('b')).toBeUndefined();
  });

  it('keeps at most MOST_REFUSALS refusals, dropping the oldest; forget drops either answer', () => {
    const answers = new TokenAnswers();
    for (let i = 0; i <= MOST_REFUSALS; i++) answers.keep(`bad-${i}`, refused);
    expect(answers.recall('bad-0')).toBeUndefined();
    expect(answers.recall('bad-1')).toEqual(refused);
    expect(answers.recall(`bad-${MOST_REFUSALS}`)).toEqual(refused);
    answers.forget('bad-1');
    expect(answers.recall('bad-1')).toBeUndefined();
  });
});
