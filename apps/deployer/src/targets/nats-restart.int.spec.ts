import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bus, CommandBus, type SendResult } from '@slipway/bus';
import { CreateTarget, type TargetView } from '@slipway/contracts';
import { startNats, type RunningNats } from '@slipway/local-stack';
import type { RunningService } from '@slipway/runtime';
import { createTestDatabase, eventually, scratchDir } from '@slipway/testing';
import { startDeployer } from '../service';

const actor = { principal: 'tester', kind: 'token' as const };

// A NATS server of this file's own, so restarting it disturbs no other test file.
describe('a NATS restart while commands are in flight', () => {
  let nats: RunningNats;
  let service: RunningService;
  const storeDir = scratchDir('nats-restart');

  beforeAll(async () => {
    nats = await startNats({ storeDir, syncAlways: true });
    service = await startDeployer({ databaseUrl: await createTestDatabase(), natsUrl: nats.url });
  });
  afterAll(async () => {
    await service.close();
    await nats.stop();
  });

  it('loses no accepted command and applies none twice', async () => {
    const bus = await Bus.connect({ url: nats.url });
    const commands = new CommandBus(bus, 200);
    const send = (i: number) => commands.send(CreateTarget, { namespace: 'restart', name: `t${i}`, labels: {}, annotations: {}, kubernetesNamespace: null }, { actor, commandId: `restart-${i}` })
      .catch(() => undefined);
    const before = await Promise.all(Array.from({ length: 40 }, (_, i) => send(i)));

    await nats.stop();
    nats = await startNats({ storeDir, port: nats.port, syncAlways: true });
    const after = await Promise.all(Array.from({ length: 40 }, (_, i) => send(40 + i)));

    // Every command JetStream took (completed or 202) is handled, each exactly once.
    const accepted = [...before, ...after].filter((r): r is SendResult<TargetView> => r !== undefined);
    expect(accepted.length).toBeGreaterThanOrEqual(40);
    await eventually(async () => {
      const { rows } = await service.pool.query<{ command_id: string }>("SELECT command_id FROM command_outcomes WHERE command_id LIKE 'restart-%'");
      expect(new Set(rows.map((r) => r.command_id))).toEqual(new Set(accepted.map((r) => r.commandId)));
    }, 60_000, 200);
    const { rows } = await service.pool.query<{ stream_id: string; n: number }>(
      "SELECT stream_id, count(*)::int AS n FROM events WHERE stream_id LIKE 'target-restart/%' GROUP BY stream_id",
    );
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(rows.length).toBe(accepted.length);
    await bus.close();
  });

  it('takes a command whose publish the stalled server did not answer in time once, and answers it', async () => {
    // given a server that stops answering for longer than a publish waits (5 s)
    const bus = await Bus.connect({ url: nats.url });
    const pid = Number(readFileSync(join(storeDir, 'nats.pid'), 'utf8'));
    process.kill(pid, 'SIGSTOP');
    const resume = setTimeout(() => process.kill(pid, 'SIGCONT'), 6_000);
    try {
      // when a command is sent meanwhile
      const sent = await new CommandBus(bus, 20_000).send(CreateTarget, { namespace: 'stall', name: 'once', labels: {}, annotations: {}, kubernetesNamespace: null }, { actor, commandId: 'stall-once' });
      // then its publish, made again under its id, tells it was taken: answered, handled once
      expect(sent).toMatchObject({ status: 'completed', reply: { ok: true } });
      const { rows } = await service.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE stream_id = 'target-stall/once'");
      expect(rows[0]!.n).toBe(1);
    } finally {
      clearTimeout(resume);
      process.kill(pid, 'SIGCONT');
      await bus.close();
    }
  });

  it('answers a sender within its wait bound while the server stalls, not after two full publish waits', async () => {
    // given a server that stops answering for 8 s, and a sender that waits 2 s
    const bus = await Bus.connect({ url: nats.url });
    const pid = Number(readFileSync(join(storeDir, 'nats.pid'), 'utf8'));
    let stalled = true;
    process.kill(pid, 'SIGSTOP');
    const resume = setTimeout(() => {
      stalled = false;
      process.kill(pid, 'SIGCONT');
    }, 8_000);
    try {
      // when a command is sent meanwhile, and one under a client's key (whose status is read first)
      const commands = new CommandBus(bus, 2_000);
      const told = (name: string, checkPayload: boolean) => commands
        .send(CreateTarget, { namespace: 'stall', name, labels: {}, annotations: {}, kubernetesNamespace: null }, { actor, commandId: `stall-${name}`, checkPayload })
        .then(() => 'answered', (error: unknown) => (error instanceof Error ? error.message : String(error)));
      const [sent, keyed] = await Promise.all([told('bounded', false), told('keyed', true)]);
      // then each is told, while the server is still stopped (a publish and its confirmation
      // waited 5 s each: 10 s; the key's status was read for 6 s before), that whether the command was
      // taken is not known, and where to look
      expect(stalled).toBe(true);
      expect(sent).toContain('did not answer in time whether it took the command stall-bounded');
      expect(sent).toContain('/api/v1/commands/stall-bounded');
      expect(keyed).toContain('did not answer in time whether it took the command stall-keyed');
    } finally {
      clearTimeout(resume);
      if (stalled) process.kill(pid, 'SIGCONT');
    }
    // and the copy the client handed over before the server stopped answering is taken once
    await eventually(async () => {
      const { rows } = await service.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE stream_id IN ('target-stall/bounded', 'target-stall/keyed')");
      expect(rows[0]!.n).toBe(2);
    }, 30_000, 200);
    await bus.close();
  });
});
