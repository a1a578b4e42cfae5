import { inTransaction, Leadership, TailLoop } from '@slipway/event-log';
import { eventually } from '@slipway/testing';
import { startRelay } from './relay';
import { relayRig, type RelayRig } from './relay-rig.testing';

/** One relay (or other tail loop) runs per key across processes; hand-overs lose and repeat nothing. */
describe('relay: leadership', () => {
  const rig = relayRig();
  let url: string;
  let pool: RelayRig['pool'];
  let bus: RelayRig['bus'];
  beforeAll(() => ({ url, pool, bus } = rig));
  const { append, relayed, committedOrder, relayUntilCaughtUp } = rig;

  /** Records what every Leadership instance answered, in order of first appearance. */
  function watchLeadership() {
    const answers = new Map<Leadership, boolean[]>();
    const original = Leadership.prototype.tryAcquire;
    const spy = jest.spyOn(Leadership.prototype, 'tryAcquire').mockImplementation(async function (this: Leadership) {
      const ok = await original.call(this);
      answers.set(this, [...(answers.get(this) ?? []), ok]);
      return ok;
    });
    return { candidates: () => [...answers.values()], restore: () => spy.mockRestore() };
  }

  async function advisoryLocksHeld(): Promise<number> {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return rows[0]!.n;
  }

  it('runs one loop per key; when the leader stops, the other candidate takes over', async () => {
    const watch = watchLeadership();
    const steps = { a: 0, b: 0 };
    const key = `relay-test-${bus.prefix}`;
    const a = new TailLoop({ url, key, step: async () => { steps.a++; return 0; } });
    const b = new TailLoop({ url, key, step: async () => { steps.b++; return 0; } });
    try {
      // given A is leader and stepping
      a.start();
      await eventually(() => expect(steps.a).toBeGreaterThan(0));

      // when B becomes a candidate, it is refused (twice, i.e. on retry too) and never steps
      b.start();
      await eventually(() => expect(watch.candidates()[1]?.filter((ok) => !ok).length ?? 0).toBeGreaterThanOrEqual(2));
      expect(steps.b).toBe(0);
      expect(await advisoryLocksHeld()).toBe(1);
      const aSoFar = steps.a;
      await eventually(() => expect(steps.a).toBeGreaterThan(aSoFar)); // A keeps going meanwhile

      // when the leader stops
      await a.stop();
      const aAtStop = steps.a;

      // then B takes over, and A steps no more
      await eventually(() => expect(steps.b).toBeGreaterThan(0), 10_000);
      expect(steps.a).toBe(aAtStop);
      expect(await advisoryLocksHeld()).toBe(1);
    } finally {
      await a.stop();
      await b.stop();
      watch.restore();
    }
  });

  it('when the leader\'s lock connection dies, the other candidate takes over and the old leader stands down', async () => {
    const watch = watchLeadership();
    const steps = { a: 0, b: 0 };
    let resumeA!: () => void;
    const frozen = new Promise<void>((resolve) => { resumeA = resolve; });
    const key = `relay-crash-test-${bus.prefix}`;
    // A freezes in its first step, like a stuck process that still holds the lock
    const a = new TailLoop({ url, key, step: async () => { steps.a++; await frozen; return 0; } });
    const b = new TailLoop({ url, key, step: async () => { steps.b++; return 0; } });
    try {
      // given A is leader (frozen mid-step) and B is a refused candidate
      a.start();
      await eventually(() => expect(steps.a).toBe(1));
      b.start();
      await eventually(() => expect(watch.candidates()[1]).toContain(false));
      expect(steps.b).toBe(0);

      // when A's lock connection dies
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(rows[0]!.n).toBe(1);

      // then B takes over
      await eventually(() => expect(steps.b).toBeGreaterThan(0), 10_000);

      // and when A wakes up it finds it lost the lock and does not step again
      resumeA();
      await eventually(() => expect(watch.candidates()[0]!.slice(1)).toContain(false), 10_000);
      expect(steps.a).toBe(1);
      expect(await advisoryLocksHeld()).toBe(1);
    } finally {
      resumeA();
      await a.stop();
      await b.stop();
      watch.restore();
    }
  });

  it('relays every event exactly once across a hand-over between two relay candidates', async () => {
    await relayUntilCaughtUp();
    const countBefore = (await relayed()).length;
    const errors: unknown[] = [];
    // given a relay that is leader (the only candidate, and it relays) ...
    const first = startRelay(pool, bus, url, (e) => errors.push(e));
    let second: TailLoop | undefined;
    try {
      await inTransaction(pool, (tx) => append(tx, 'handover-1', 2));
      await eventually(async () => expect((await relayed()).length).toBe(countBefore + 2), 15_000);
      // ... and a second candidate on the same bus
      second = startRelay(pool, bus, url, (e) => errors.push(e));

      // when the leader stops
      await first.stop();
      await inTransaction(pool, (tx) => append(tx, 'handover-2', 2));

      // then the remaining candidate relays what follows
      await eventually(async () => expect((await relayed()).length).toBe(countBefore + 4), 15_000);
      const messages = await relayed();
      expect(messages.map((m) => m.event.eventId)).toEqual(await committedOrder());
      expect(new Set(messages.map((m) => m.msgId)).size).toBe(messages.length);
      expect(errors).toEqual([]);
    } finally {
      await first.stop();
      await second?.stop();
    }
  });
});
