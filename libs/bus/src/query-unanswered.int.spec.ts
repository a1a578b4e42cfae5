import { query } from '@slipway/contracts';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { z } from 'zod';
import { Bus } from './bus';
import { CommandBus } from './command-bus';

const Unserved = query<z.ZodObject, null>('qry.reports.unserved.v1', z.object({}));
const Silent = query<z.ZodObject, null>('qry.silent.unanswered.v1', z.object({}));

/** A query nobody answers is "retry shortly", saying whether no instance runs or one did not answer in time. */
describe('CommandBus.query unanswered', () => {
  let bus: Bus;
  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterAll(() => bus?.close());

  it('says no service runs when nothing listens on the subject', async () => {
    const reply = await new CommandBus(bus).query(Unserved, {}, 5_000);
    expect(reply).toEqual({ ok: false, error: { code: 'unavailable', message: 'no reports service is running to answer qry.reports.unserved.v1; retry shortly' } });
  });

  it('says it did not answer in time when an instance listens but stays silent', async () => {
    const sub = bus.nc.subscribe(bus.subject(Silent.subject), { callback: () => undefined });
    try {
      const reply = await new CommandBus(bus).query(Silent, {}, 200);
      expect(reply).toEqual({ ok: false, error: { code: 'unavailable', message: 'the service answering qry.silent.unanswered.v1 did not respond in time; retry shortly' } });
    } finally {
      sub.unsubscribe();
    }
  });
});
