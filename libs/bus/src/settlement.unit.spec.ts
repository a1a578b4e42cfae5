import { DomainError } from '@slipway/contracts';
import { handleRefusal, MAX_DELIVERIES, PoisonMessage, senderWaits, settle, settleUnsettled } from './settlement';

describe('settlement policy', () => {
  describe('ack', () => {
    it('acks a handled message', () => {
      expect(settle({}, 1)).toEqual({ action: 'ack' });
    });

    it('acks a refusal (DomainError): it is the command outcome, retrying cannot change it', () => {
      expect(settle({ error: new DomainError('invalid', 'bad name', 'name') }, 1)).toEqual({ action: 'ack' });
    });

    it('acks a refusal even on the last allowed delivery, instead of dead-lettering it', () => {
      expect(settle({ error: new DomainError('conflict', 'busy') }, MAX_DELIVERIES)).toEqual({ action: 'ack' });
    });

    it('acks a success on the last allowed delivery', () => {
      expect(settle({}, 3, 3)).toEqual({ action: 'ack' });
    });
  });

  describe('nak', () => {
    it('naks a transient failure with a delay that grows with each delivery', () => {
      const delays = [1, 2, 3, 4].map((delivery) => {
        const decision = settle({ error: new Error('database down') }, delivery, 10);
        expect(decision.action).toBe('nak');
        return decision.action === 'nak' ? decision.delayMs : NaN;
      });
      for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
      expect(delays[0]!).toBeGreaterThan(0);
    });

    it('caps the delay instead of growing it forever', () => {
      const at = (delivery: number) => settle({ error: new Error('x') }, delivery, 100);
      expect(at(50)).toEqual(at(5));
      expect(at(50).action).toBe('nak');
    });

    it('treats a thrown non-Error value as a transient failure', () => {
      expect(settle({ error: 'a string was thrown' }, 1).action).toBe('nak');
    });

    it('retries up to, but not including, the last allowed delivery', () => {
      expect(settle({ error: new Error('x') }, MAX_DELIVERIES - 1).action).toBe('nak');
    });
  });

  describe('dead-letter', () => {
    it('dead-letters poison at once, on the first delivery', () => {
      expect(settle({ error: new PoisonMessage('message body is not valid JSON') }, 1)).toEqual({
        action: 'dead-letter', reason: 'PoisonMessage: message body is not valid JSON',
      });
    });

    it('dead-letters a failure on the last allowed delivery (default bound)', () => {
      const decision = settle({ error: new Error('still broken') }, MAX_DELIVERIES);
      expect(decision).toEqual({ action: 'dead-letter', reason: 'Error: still broken' });
    });

    it('honours a custom bound', () => {
      expect(settle({ error: new Error('x') }, 2, 3).action).toBe('nak');
      expect(settle({ error: new Error('x') }, 3, 3).action).toBe('dead-letter');
    });

    it('dead-letters past the bound too (the server backstop delivers once more)', () => {
      expect(settle({ error: new Error('x') }, 4, 3).action).toBe('dead-letter');
    });

    it('keeps the reason of a non-Error value', () => {
      expect(settle({ error: 42 }, 3, 3)).toEqual({ action: 'dead-letter', reason: '42' });
    });
  });

  describe('before the work', () => {
    it('runs a message within its allowed deliveries', () => {
      expect(settleUnsettled(5, 5)).toBeUndefined();
    });

    it('dead-letters a message delivered more often than allowed without being settled, naming how often', () => {
      expect(settleUnsettled(6, 5)).toEqual({ action: 'dead-letter', reason: 'delivered 6 times without being settled (more than 5)' });
    });

    it('does not count deliveries that ended while the work waited out an outage', () => {
      expect(settleUnsettled(9, 5, 4)).toBeUndefined();
      expect(settleUnsettled(10, 5, 4)).toEqual({ action: 'dead-letter', reason: 'delivered 6 times without being settled (more than 5), not counting 4 that ended in an outage' });
    });
  });
});

describe('what a command refusal becomes (handleRefusal)', () => {
  it.each([
    ['a final refusal, whoever waits', true, true, 1, 'outcome'],
    ['a final refusal nobody waits for', true, false, 3, 'outcome'],
    ['"retry shortly" to a sender still waiting: answered, it may resend', false, true, 1, 'answer'],
    ['"retry shortly" nobody waits for, deliveries left: the bus retries it', false, false, 4, 'retry'],
    ['"retry shortly" nobody waits for, at the last delivery: it becomes the outcome', false, false, 5, 'give-up'],
  ] as const)('%s', (_, final, waits, deliveryCount, expected) => {
    expect(handleRefusal({ final }, { waits }, deliveryCount, 5)).toBe(expected);
  });
});

describe('whether the sender still waits (senderWaits)', () => {
  const now = Date.parse('2026-12-03T09:00:00.000Z');
  it.each([
    ['seconds left, first delivery', '2026-12-03T09:00:04.000Z', 1, true],
    ['about to pass (within the margin)', '2026-12-03T09:00:00.300Z', 1, false],
    ['passed', '2026-12-03T08:59:59.000Z', 1, false],
    ['a redelivery, however long it says', '2026-12-03T10:00:00.000Z', 2, false],
    ['not said (a publisher on NATS)', undefined, 1, false],
  ] as const)('%s', (_, repliesUntil, deliveryCount, expected) => {
    expect(senderWaits(repliesUntil, deliveryCount, now)).toBe(expected);
  });
});
