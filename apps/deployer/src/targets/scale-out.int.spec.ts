import 'reflect-metadata';
import { Bus, CommandBus } from '@slipway/bus';
import { CreateTarget, ListTargets, UpsertTarget, type TargetView } from '@slipway/contracts';
import { rebuildAndCompare } from '@slipway/event-log';
import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import type { RunningService } from '@slipway/runtime';
import type { Pool, PoolClient } from 'pg';
import { deployerProjections, startDeployer } from '../service';

const actor = { principal: 'tester', kind: 'token' as const };
const TARGETS = 16;
const EDITS = 10;

/** Counts the statements a pool's clients send that record command outcomes (observes, changes nothing). */
function countOutcomeWrites(pool: Pool): { count: number } {
  const seen = { count: 0 };
  const observed = new WeakSet<PoolClient>();
  pool.on('acquire', (client) => {
    if (observed.has(client)) return;
    observed.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text ?? '';
      if (text.includes('INSERT INTO command_outcomes')) seen.count += 1;
      return query(...args);
    };
  });
  return seen;
}

/**
 * Two deployers on one database and one bus, as ARCHITECTURE.md's "Scaling out" runs them:
 * they share the COMMANDS consumer, and commands on the same stream that they decide at once
 * meet at the log's optimistic concurrency, which re-decides the loser.
 */
describe('two deployers sharing the bus and the log', () => {
  let deployers: RunningService[] = [];
  let bus: Bus;
  let commands: CommandBus;
  const outcomeWrites: Array<{ count: number }> = [];

  beforeAll(async () => {
    const prefix = testBusPrefix();
    const databaseUrl = await createTestDatabase();
    // One after the other, as a rolling start does (each runs the migrations first).
    while (deployers.length < 2) {
      const deployer = await startDeployer({ databaseUrl, natsUrl: natsUrl(), busPrefix: prefix });
      outcomeWrites.push(countOutcomeWrites(deployer.pool));
      deployers.push(deployer);
    }
    bus = await Bus.connect({ url: natsUrl(), prefix });
    commands = new CommandBus(bus);
  });
  afterAll(async () => {
    await bus?.close();
    for (const deployer of deployers) await deployer.close();
    deployers = [];
  });

  const target = (name: string, labels: Record<string, string> = {}) =>
    ({ namespace: 'shared', name, labels, annotations: {}, kubernetesNamespace: `k-${name}` });

  it('handles each command once when many edit the same targets at once', async () => {
    // given targets created through either instance
    const names = Array.from({ length: TARGETS }, (_, i) => `t${i}`);
    const created = await Promise.all(names.map((name) => commands.send(CreateTarget, target(name), { actor, waitMs: 20_000 })));
    for (const result of created) expect(result).toMatchObject({ status: 'completed', reply: { ok: true } });

    // when every target is relabelled EDITS times, all at once
    const edits = names.flatMap((name) => Array.from({ length: EDITS }, (_, n) => ({ name, n })));
    const results = await Promise.all(edits.map(({ name, n }) =>
      commands.send(UpsertTarget, target(name, { edit: String(n) }), { actor, waitMs: 30_000 })));

    // then every edit succeeded, each target has one version per command, numbered without gaps
    const versions = new Map<string, number[]>();
    for (const [i, result] of results.entries()) {
      expect(result).toMatchObject({ status: 'completed', reply: { ok: true } });
      const view = (result as { reply: { value: TargetView } }).reply.value;
      versions.set(edits[i]!.name, [...(versions.get(edits[i]!.name) ?? []), view.resourceVersion]);
    }
    for (const name of names) expect(versions.get(name)!.sort((a, b) => a - b)).toEqual(Array.from({ length: EDITS }, (_, n) => n + 2));
    const { rows } = await deployers[0]!.pool.query<{ stream_id: string; versions: number[] }>(
      `SELECT stream_id, array_agg(stream_version ORDER BY stream_version)::int[] AS versions FROM events
       WHERE stream_id LIKE 'target-shared/%' GROUP BY stream_id`,
    );
    expect(rows).toHaveLength(TARGETS);
    for (const row of rows) expect(row.versions).toEqual(Array.from({ length: EDITS + 1 }, (_, n) => n + 1));
    const outcomes = await deployers[0]!.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM command_outcomes');
    expect(outcomes.rows[0]!.n).toBe(TARGETS * (EDITS + 1));

    // and the read model, asked of either instance, is the one the log rebuilds
    const listed = await commands.query(ListTargets, { namespace: 'shared' });
    expect(listed.ok && listed.value.map((t) => t.resourceVersion)).toEqual(Array(TARGETS).fill(EDITS + 1));
    for (const projection of deployerProjections) {
      expect(await rebuildAndCompare(deployers[1]!.pool, 'deployer', projection)).toMatchObject({ equal: true });
    }
    // and both instances took part: each committed outcomes of some of the commands
    expect(outcomeWrites.map((w) => w.count > 0)).toEqual([true, true]);
  });
});
