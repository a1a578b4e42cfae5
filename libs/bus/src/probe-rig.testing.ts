import type { JsMsg } from '@nats-io/jetstream';
import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
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
  /** Once the probe's COMMANDS consumer has settled everything and the stream holds nothing. */
  settled(): Promise<void>;
  /** ProbeBusyOnce refused "retry shortly" also on the tries `refuses` names (its try count for the command, the message); restore it after. */
  busyWhen(refuses: (tries: number, m: JsMsg) => boolean): jest.SpyInstance;
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
    settled: () => eventually(async () => {
      expect(await rig.bus.jsm.consumers.info(rig.bus.stream('COMMANDS'), 'probe-commands')).toMatchObject({ num_pending: 0, num_ack_pending: 0 });
      expect((await rig.bus.jsm.streams.info(rig.bus.stream('COMMANDS'))).state.messages).toBe(0);
    }, 30_000, 100),
    busyWhen(refuses: (tries: number, m: JsMsg) => boolean) {
      const record = rig.probe.recorder.record.bind(rig.probe.recorder);
      // (its handler refuses a try the recorder numbers 1)
      return jest.spyOn(rig.probe.recorder, 'record').mockImplementation((envelope, ctx) => {
        const tries = record(envelope, ctx);
        return refuses(tries, ctx.getArgByIndex(1) as JsMsg) ? 1 : tries;
      });
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
