import { DeadLetterDiscarded, DeadLetterRedriven, type DeadLetter } from '@slipway/contracts';
import { fold } from '@slipway/event-log';
import { deadLetterDecider, type DeadLetterEvent } from './dead-letter.decider';

const now = '2026-12-03T07:00:00.000Z';
const letter: DeadLetter = {
  sequence: 7, subject: 'cmd.deployer.create-target.v1', reason: 'no handler', deliveries: 1, deadAt: '2026-12-03T06:00:00.000Z',
  commandId: 'c-1', actor: { principal: 'script' }, payload: { password: '[redacted]' }, redrivable: false,
};
const whole: DeadLetter = { ...letter, payload: { name: 'web' }, redrivable: true };
const filed = { sequence: 7, subject: 'cmd.deployer.create-target.v1', reason: 'no handler', deliveries: 1, deadAt: '2026-12-03T06:00:00.000Z', commandId: 'c-1' };
const discarded: DeadLetterEvent = { type: DeadLetterDiscarded.type, data: { ...filed, discardedAt: now } };
const redriven: DeadLetterEvent = { type: DeadLetterRedriven.type, data: { ...filed, redrivenAs: 'redriven-7-1', redrivenAt: now } };
const redrive = (sent: DeadLetter) => ({ kind: 'redrive' as const, letter: sent, redrivenAs: 'redriven-7-1', now });

describe('dead letter decider', () => {
  it('records what was discarded and when, without its payload', () => {
    expect(deadLetterDecider.decide({ kind: 'discard', letter, now }, fold(deadLetterDecider, []))).toEqual([discarded]);
  });

  it('leaves out a command id the log could not store (the message was dead-lettered for it)', () => {
    const [event] = deadLetterDecider.decide({ kind: 'discard', letter: { ...letter, commandId: 'a\u0000b' }, now }, fold(deadLetterDecider, []));
    expect(event!.data).not.toHaveProperty('commandId');
  });

  it('records a command kept whole as sent again, under the id it was given, without its payload', () => {
    expect(deadLetterDecider.decide(redrive(whole), fold(deadLetterDecider, []))).toEqual([redriven]);
  });

  it('records a letter once, and when asked again after it was dealt with, records nothing more (the letter\'s removal is finished)', () => {
    expect(deadLetterDecider.decide({ kind: 'discard', letter, now }, fold(deadLetterDecider, [discarded]))).toEqual([]);
    expect(deadLetterDecider.decide({ kind: 'discard', letter, now }, fold(deadLetterDecider, [redriven]))).toEqual([]);
    expect(deadLetterDecider.decide(redrive(whole), fold(deadLetterDecider, [redriven]))).toEqual([]);
    expect(fold(deadLetterDecider, [redriven])).toEqual({ settled: 'redriven', redrivenAs: 'redriven-7-1' });
  });

  it('does not send again a letter that was discarded', () => {
    expect(() => deadLetterDecider.decide(redrive(whole), fold(deadLetterDecider, [discarded]))).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringContaining('was discarded') }));
  });

  it.each([
    ['one kept without its secret values', letter, 'without its secret values'],
    ['an event', { ...whole, subject: 'evt.target.created.v1' }, 'it is an event'],
    ['a body that was not JSON', { sequence: 7, subject: 'cmd.deployer.create-target.v1', reason: 'poison', deliveries: 1, deadAt: filed.deadAt, undecodableBytes: 10, redrivable: false }, 'not JSON'],
    ['a body without a usable command id', { ...whole, commandId: 'a\u0000b' }, 'no command id'],
    ['a command on a subject no contract of this version defines', { ...whole, subject: 'cmd.nobody.x.v1' }, 'no command of this version is on cmd.nobody.x.v1'],
  ] as const)('refuses to send again %s, saying why', (_what, sent, why) => {
    expect(() => deadLetterDecider.decide(redrive(sent), fold(deadLetterDecider, []))).toThrow(expect.objectContaining({ code: 'invalid', field: 'sequence', message: expect.stringContaining(why) }));
  });
});
