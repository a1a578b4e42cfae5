import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { command } from '@slipway/contracts';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { z } from 'zod';
import { Bus } from './bus';
import { CommandBus } from './command-bus';
import { ensureStreams, EVENTS_MAX_BYTES } from './streams';

/** The streams on data an earlier version made are brought to this version's settings. */
describe('ensureStreams (real JetStream)', () => {
  let bus: Bus;
  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterAll(() => bus?.close());

  const events = async () => (await bus.jsm.streams.info(bus.stream('EVENTS'))).config;

  it('bounds EVENTS by bytes, also where an earlier version made it unbounded, and keeps what it holds', async () => {
    expect((await events()).max_bytes).toBe(EVENTS_MAX_BYTES);
    // given EVENTS as an earlier version made it, holding an event
    await bus.jsm.streams.update(bus.stream('EVENTS'), { ...(await events()), max_bytes: -1 });
    await bus.js.publish(bus.subject('evt.streams-test'), new Uint8Array([1]));
    expect((await events()).max_bytes).toBe(-1);
    // when this version starts on it
    await ensureStreams(bus);
    // then it has the bound, its other settings and its event
    const config = await events();
    expect(config).toMatchObject({ max_bytes: EVENTS_MAX_BYTES, max_age: 7 * 24 * 3600 * 1e9, discard: 'old' });
    expect((await bus.jsm.streams.info(bus.stream('EVENTS'))).state.messages).toBe(1);
  });
});

const Defined = command('cmd.streamtest.defined.v1', z.object({}));

/** COMMANDS takes the command subjects the processes using it define, and no other. */
describe('the COMMANDS stream (real JetStream)', () => {
  it('takes a command on a defined subject, and refuses one on a subject no contract defines as it is published', async () => {
    const bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
    try {
      const taken = await bus.js.publish(bus.subject(Defined.subject), '{}');
      expect(taken.stream).toBe(bus.stream('COMMANDS'));
      // nothing would ever consume it: refused, rather than kept in the work queue for good
      await expect(bus.js.publish(bus.subject('cmd.nobody.anything.v1'), '{}')).rejects.toThrow(/jetstream is not enabled|no responders/i);
    } finally {
      await bus.close();
    }
  });

  it('is ensured again by a CommandBus whose publish it refuses (another version wrote its subjects from an older read), and the command is taken', async () => {
    const bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
    try {
      const name = bus.stream('COMMANDS');
      const config = (await bus.jsm.streams.info(name)).config;
      await bus.jsm.streams.update(name, { ...config, subjects: config.subjects!.filter((subject) => subject !== bus.subject(Defined.subject)) });
      const sent = await new CommandBus(bus).send(Defined, {}, { actor: { principal: 'ci', kind: 'token' }, waitMs: 0 });
      expect(sent.status).toBe('accepted');
      expect((await bus.jsm.streams.info(name)).config.subjects).toContain(bus.subject(Defined.subject));
    } finally {
      await bus.close();
    }
  });

  it('replaces the catch-all an older version gave it, keeping the subjects of other versions and adding its own', async () => {
    const prefix = testBusPrefix();
    const admin = await Bus.connect({ url: natsUrl(), prefix: `${prefix}-setup` });
    const name = `${prefix.replace(/[^A-Za-z0-9_-]/g, '_')}_COMMANDS`;
    try {
      // given COMMANDS as an older version made it, holding a command
      await admin.jsm.streams.add({
        name, subjects: [`${prefix}.cmd.>`], retention: RetentionPolicy.Workqueue, storage: StorageType.File, num_replicas: 1,
      });
      await admin.js.publish(`${prefix}.cmd.older.queued.v1`, '{}');
      // when this version connects
      const bus = await Bus.connect({ url: natsUrl(), prefix });
      await bus.close();
      const subjects = (await admin.jsm.streams.info(name)).config.subjects;
      // then the catch-all is gone, this version's subjects are there, and what was queued stays
      expect(subjects).not.toContain(`${prefix}.cmd.>`);
      expect(subjects).toEqual(expect.arrayContaining([`${prefix}.${Defined.subject}`, `${prefix}.cmd.deployer.create-target.v1`]));
      expect((await admin.jsm.streams.info(name)).state.messages).toBe(1);

      // and a subject another version added since is kept when this one connects again
      await admin.jsm.streams.update(name, { ...(await admin.jsm.streams.info(name)).config, subjects: [...subjects!, `${prefix}.cmd.newer.only.v1`] });
      await (await Bus.connect({ url: natsUrl(), prefix })).close();
      expect((await admin.jsm.streams.info(name)).config.subjects).toEqual(expect.arrayContaining([`${prefix}.cmd.newer.only.v1`, `${prefix}.${Defined.subject}`]));
    } finally {
      await admin.jsm.streams.delete(name).catch(() => undefined);
      await admin.close();
    }
  });
});
