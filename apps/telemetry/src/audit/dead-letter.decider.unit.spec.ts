import { DeadLetterDiscarded, type DeadLetter } from '@slipway/contracts';
import { fold } from '@slipway/event-log';
import { deadLetterDecider, type DeadLetterEvent } from './dead-letter.decider';

const now = '2026-12-03T07:00:00.000Z';
const letter: DeadLetter = {
  sequence: 7, subject: 'cmd.deployer.create-target.v1', reason: 'no handler', deliveries: 1, deadAt: '2026-12-03T06:00:00.000Z',
  commandId: 'c-1', actor: { principal: 'script' }, payload: { password: '[redacted]' },
};
const discarded: DeadLetterEvent = {
  type: DeadLetterDiscarded.type,
  data: { sequence: 7, subject: 'cmd.deployer.create-target.v1', reason: 'no handler', deliveries: 1, deadAt: '2026-12-03T06:00:00.000Z', commandId: 'c-1', discardedAt: now },
};

describe('dead letter decider', () => {
  it('records what was discarded and when, without its payload', () => {
    expect(deadLetterDecider.decide({ letter, now }, fold(deadLetterDecider, []))).toEqual([discarded]);
  });

  it('leaves out a command id the log could not store (the message was dead-lettered for it)', () => {
    const [event] = deadLetterDecider.decide({ letter: { ...letter, commandId: 'a\u0000b' }, now }, fold(deadLetterDecider, []));
    expect(event!.data).not.toHaveProperty('commandId');
  });

  it('refuses a second discard of the same letter', () => {
    expect(() => deadLetterDecider.decide({ letter, now }, fold(deadLetterDecider, [discarded]))).toThrow(expect.objectContaining({ code: 'not-found' }));
  });
});
