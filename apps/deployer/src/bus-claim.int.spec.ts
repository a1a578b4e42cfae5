import 'reflect-metadata';
import { Bus, claimBus } from '@slipway/bus';
import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import type { RunningService } from '@slipway/runtime';
import { startDeployer } from './service';

/** A bus (a NATS server under a prefix) serves one installation, whose id its database holds. */
describe('the bus claimed by an installation', () => {
  it('takes another process of the same installation, and refuses one of another, naming the setting', async () => {
    const prefix = testBusPrefix();
    const databaseUrl = await createTestDatabase();
    const running: RunningService[] = [];
    try {
      running.push(await startDeployer({ databaseUrl, natsUrl: natsUrl(), busPrefix: prefix }));
      // a second process on the same database (scaled out) shares the bus
      running.push(await startDeployer({ databaseUrl, natsUrl: natsUrl(), busPrefix: prefix }));
      // a Slipway of another database on the same bus is refused before it takes any command
      await expect(startDeployer({ databaseUrl: await createTestDatabase(), natsUrl: natsUrl(), busPrefix: prefix }))
        .rejects.toThrow(`this NATS under the prefix "${prefix}" is the bus of another Slipway`);
      // and one with a prefix of its own is not
      running.push(await startDeployer({ databaseUrl: await createTestDatabase(), natsUrl: natsUrl(), busPrefix: testBusPrefix() }));
    } finally {
      for (const service of running) await service.close();
    }
  });

  it('is claimed once when two installations claim it at the same time', async () => {
    const bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
    try {
      const outcomes = await Promise.allSettled(['a', 'b', 'c'].map((id) => claimBus(bus, `0000000${id}-0000-4000-8000-000000000000`)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.message))
        .toEqual([expect.stringContaining('is the bus of another Slipway'), expect.stringContaining('is the bus of another Slipway')]);
    } finally {
      await bus.close();
    }
  });
});
