import type { Msg } from '@nats-io/nats-core';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { AnswerParts, fetchRemainingParts, PART_REFUSED_HEADER } from './answer-parts';
import { Bus } from './bus';

describe('answers in parts', () => {
  let bus: Bus;
  beforeAll(async () => { bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() }); });
  afterAll(() => bus?.close());

  it('keeps unfetched answers up to its bound, the oldest forgotten first', async () => {
    const parts = new AnswerParts(bus, 20 * 1024 * 1024);
    try {
      // each over the server's max_payload, so sent in parts; three exceed the bound together
      const size = bus.nc.info!.max_payload + 1024 * 1024;
      const kept = [1, 2, 3].map((fill) => parts.first(new Uint8Array(size).fill(fill)));
      // the reply message as the asker gets it: the first part and the headers naming the rest
      const fetched = (first: (typeof kept)[number]) => fetchRemainingParts(bus, { data: first.data, headers: first.headers } as unknown as Msg, 5_000);
      await expect(fetched(kept[0]!)).rejects.toThrow(/could not be fetched: the answer is gone/);
      const newest = await fetched(kept[2]!);
      expect(newest.length).toBe(size);
      expect(newest[size - 1]).toBe(3);
      expect((await fetched(kept[1]!))[0]).toBe(2);
    } finally {
      parts.close();
    }
  });

  it('answers a part again (a reply lost on its way), and refuses a part it has not, saying why', async () => {
    const parts = new AnswerParts(bus);
    try {
      const size = bus.nc.info!.max_payload + 1024;
      const first = parts.first(new Uint8Array(size).fill(7));
      const from = first.headers!.get('Slipway-Parts-From');
      const ask = (k: string) => bus.nc.request(from, new TextEncoder().encode(k), { timeout: 5_000 });
      // the last part fetched twice: the second asker of it is answered too
      const last = (await ask('2')).data;
      expect(last.length).toBeGreaterThan(0);
      expect((await ask('2')).data).toEqual(last);
      for (const bad of ['0', '3', 'abc', '2.0', ' 2', '']) {
        const refused = await ask(bad);
        expect({ bad, length: refused.data.length, why: refused.headers?.get(PART_REFUSED_HEADER) }).toEqual({ bad, length: 0, why: expect.stringMatching(/is not a whole number from 1 to 2$/) });
      }
    } finally {
      parts.close();
    }
  });
});
