import { query } from '@slipway/contracts';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { z } from 'zod';
import { Bus } from './bus';
import { CommandBus } from './command-bus';
import { encode } from './codec';

const Frozen = query<z.ZodObject, { by: string }>('qry.hedging.frozen-member.v1', z.object({}));
const Steady = query<z.ZodObject, { by: string }>('qry.hedging.steady.v1', z.object({}));

/**
 * Two instances of a service in its queue group, as NATS serves them: each request goes to one
 * of them at random. One is frozen (it takes its messages and never answers, as a stopped
 * process's socket does).
 */
describe('CommandBus.query with an instance of the service that does not answer', () => {
  let bus: Bus;
  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterAll(() => bus?.close());

  const member = (subject: string, by: string | undefined, seen: string[]) => bus.nc.subscribe(bus.subject(subject), {
    queue: 'hedging',
    callback: (_error, msg) => {
      seen.push(by ?? 'frozen');
      if (by) msg.respond(encode({ ok: true, value: { by } }));
    },
  });

  it('is answered by the instance that answers, not refused for the one that does not', async () => {
    const seen: string[] = [];
    const subs = [member(Frozen.subject, undefined, seen), member(Frozen.subject, 'answering', seen)];
    try {
      const commands = new CommandBus(bus);
      // given 8 queries, each with 10 s to be answered (a copy every 500 ms: the odds that all
      // twenty of one went to the frozen instance, at random, are one in a million)
      const replies = await Promise.all(Array.from({ length: 8 }, () => commands.query(Frozen, {}, 10_000)));
      // then every one is answered, by the instance that answers
      expect(replies).toEqual(Array(8).fill({ ok: true, value: { by: 'answering' } }));
      // and the frozen one did take its share of them (so that this shows what it claims)
      expect(seen.filter((by) => by === 'frozen').length).toBeGreaterThan(0);
    } finally {
      subs.forEach((sub) => sub.unsubscribe());
    }
  });

  it('sends a query answered in its usual time once', async () => {
    const seen: string[] = [];
    const subs = [member(Steady.subject, 'one', seen), member(Steady.subject, 'two', seen)];
    try {
      const commands = new CommandBus(bus);
      for (let i = 0; i < 20; i++) expect((await commands.query(Steady, {}, 3_000)).ok).toBe(true);
      // let a copy, had one been sent after the floor, arrive: none at all is the rule, a few
      // allowed for a machine that stalls this process past the floor (a copy for each is the fault)
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(seen.length).toBeGreaterThanOrEqual(20);
      expect(seen.length).toBeLessThan(25);
    } finally {
      subs.forEach((sub) => sub.unsubscribe());
    }
  });
});
