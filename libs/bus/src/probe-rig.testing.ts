import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { CommandBus } from './command-bus';
import { startProbe, type RunningProbe } from './probe.testing';

export interface ProbeRig {
  probe: RunningProbe;
  /** A client's connection on the probe's prefix. */
  bus: Bus;
  commands: CommandBus;
  /** What a probe command left: events on its stream, effects, recorded outcomes. */
  effects(commandId: string): Promise<{ events: number; effects: number; outcomes: number }>;
}

/**
 * For a describe block: a probe service (maxDeliveries 3) on a database and a bus prefix
 * of its own, with a client, started before the block's tests and closed after them. Its
 * fields are set once the block's first `beforeAll` ran.
 */
export function probeRig(): ProbeRig {
  const rig = {
    async effects(commandId: string) {
      const { rows } = await rig.probe.pool.query<{ events: number; effects: number; outcomes: number }>(
        `SELECT (SELECT count(*)::int FROM events WHERE stream_id = $2) AS events,
                (SELECT count(*)::int FROM probe_effects WHERE command_id = $1) AS effects,
                (SELECT count(*)::int FROM command_outcomes WHERE command_id = $1) AS outcomes`,
        [commandId, `probe-${commandId}`],
      );
      return rows[0]!;
    },
  } as ProbeRig;
  beforeAll(async () => {
    const prefix = testBusPrefix();
    rig.probe = await startProbe({ natsUrl: natsUrl(), prefix, databaseUrl: await createTestDatabase(), maxDeliveries: 3 });
    rig.bus = await Bus.connect({ url: natsUrl(), prefix });
    rig.commands = new CommandBus(rig.bus);
  });
  afterAll(async () => {
    await rig.bus?.close();
    await rig.probe?.close();
  });
  return rig;
}
