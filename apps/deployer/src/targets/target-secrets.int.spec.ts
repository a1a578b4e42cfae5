import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Bus, CommandBus, encode } from '@slipway/bus';
import {
  CreateTarget, DeleteTarget, GetTarget, TargetCreated, UpsertTarget, replySubject, targetStreamId, type TargetDefinition,
} from '@slipway/contracts';
import { appendToStream, handleCommand, inTransaction, rebuildAndCompare } from '@slipway/event-log';
import type { RunningService } from '@slipway/runtime';
import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import { Pool } from 'pg';
import { startDeployer } from '../service';
import { targetCommand } from './target-commands';
import { sealedDefinition } from './target-seals';
import { targetsProjection } from './targets.projection';

/**
 * Annotations with secret names or values (the auditor's finding): the log, the outcomes
 * and the snapshots hold tokens for them, the read model and every answer the values, and
 * a rebuild from the log and the store equals the live rows.
 */
const actor = { principal: 'tester', kind: 'token' as const };
const PASSWORD = 'db-pass-5e1c0a';
const TOKEN = 'api-token-0d4f77';
const AWS = 'aws-secret-7c21bb';
const URL_PASSWORD = 'url-pass-93be4d';
const ROTATED = 'rotated-pass-61aa2f';
const SECRETS = [PASSWORD, TOKEN, AWS, URL_PASSWORD, ROTATED];
const annotations = {
  'db-password': PASSWORD, 'api-token': TOKEN, AWS_SECRET_ACCESS_KEY: AWS,
  'repo-url': `https://ci:${URL_PASSWORD}@git.example/repo.git`, owner: 'team-a',
};

describe('secret annotations of deployment targets', () => {
  let service: RunningService;
  let bus: Bus;
  let commands: CommandBus;
  /** The test's database as any client sees it: no schema of the deployer's, no code of its. */
  let raw: Pool;

  beforeAll(async () => {
    const prefix = testBusPrefix();
    const databaseUrl = await createTestDatabase();
    service = await startDeployer({ databaseUrl, natsUrl: natsUrl(), busPrefix: prefix });
    bus = await Bus.connect({ url: natsUrl(), prefix });
    commands = new CommandBus(bus);
    raw = new Pool({ connectionString: databaseUrl, max: 1 });
  });
  afterAll(async () => {
    await raw.end();
    await bus.close();
    await service.close();
  });

  const vault = (name: string, extra: Record<string, string> = {}): TargetDefinition =>
    ({ namespace: 'default', name, labels: {}, annotations: { ...annotations, ...extra }, kubernetesNamespace: 'vault' });
  const rows = async (sql: string): Promise<string[]> => (await raw.query<{ row: string }>(sql)).rows.map((r) => r.row);
  const expectNoSecretIn = (texts: string[]) => {
    for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
  };
  const expectReplayEqual = async () =>
    expect(await rebuildAndCompare(service.pool, 'deployer', targetsProjection)).toMatchObject({ equal: true, differences: { targets: 0 } });

  it('records created and updated annotations sealed, and answers them as sent', async () => {
    const created = await commands.send(CreateTarget, vault('vault'), { actor, commandId: 'vault-create' });
    expect(created).toMatchObject({ status: 'completed', reply: { ok: true, value: { annotations } } });
    const rotated = { ...annotations, 'db-password': ROTATED };
    const updated = await commands.send(UpsertTarget, { ...vault('vault'), annotations: rotated }, { actor });
    expect(updated).toMatchObject({ reply: { ok: true, value: { annotations: rotated, resourceVersion: 2, created: false } } });
    expect(await commands.query(GetTarget, { namespace: 'default', name: 'vault' })).toEqual({ ok: true, value: expect.objectContaining({ annotations: rotated }) });

    const events = await rows(`SELECT data::text AS row FROM events WHERE stream_id = '${targetStreamId({ namespace: 'default', name: 'vault' })}' ORDER BY position`);
    expect(events).toHaveLength(2);
    expectNoSecretIn(events);
    // Only the secret parts: the rest of each annotation is recorded as sent.
    for (const event of events) expect(event).toMatch(/"owner": "team-a".*"repo-url": "https:\/\/ci:\\"slipway-sealed:[\w-]{43}\\"@git\.example\/repo\.git"/);
    expectNoSecretIn(await rows('SELECT outcome::text AS row FROM command_outcomes'));
    expect(await rows('SELECT original AS row FROM deployer.sealed_values')).toEqual(expect.arrayContaining([PASSWORD, ROTATED, URL_PASSWORD]));
    await expectReplayEqual();
  });

  it('answers a redelivered command its first outcome with the values, though the outcome holds tokens', async () => {
    // The same command delivered again past JetStream's dedupe (another message id).
    const reply = bus.nc.subscribe(bus.subject(replySubject('vault-create')), { max: 1 });
    const envelope = { commandId: 'vault-create', correlationId: 'vault-create', actor, issuedAt: new Date().toISOString(), payload: vault('vault') };
    await bus.js.publish(bus.subject(CreateTarget.subject), encode(envelope), { msgID: 'vault-create-again' });
    for await (const msg of reply) expect(JSON.parse(msg.string())).toMatchObject({ ok: true, value: { annotations, resourceVersion: 1 } });
  });

  it('records nothing new for a PUT of the annotations the target has (sealing gives the same tokens)', async () => {
    const same = await commands.send(UpsertTarget, { ...vault('steady') }, { actor });
    expect(same).toMatchObject({ reply: { ok: true, value: { resourceVersion: 1, created: true } } });
    const unchanged = await commands.send(UpsertTarget, { ...vault('steady') }, { actor });
    expect(unchanged).toMatchObject({ reply: { ok: true, value: { annotations, resourceVersion: 1, created: false } } });
  });

  it('projects commands decided together in one transaction, sealed and not, on one target and on others', async () => {
    const plain = { owner: 'team-b' };
    const sealed = { ...annotations, 'api-token': ROTATED };
    const definitions = [vault('batch-a'), { ...vault('batch-b'), annotations: plain }, { ...vault('batch-b'), annotations: sealed }, { ...vault('batch-c'), annotations: {} }];
    // Built as the upsert handler builds them, then handed over in one turn: the command path takes them as one batch.
    const upserts = await Promise.all(definitions.map(async (sent) => {
      const { definition, seals } = await sealedDefinition(service.pool, sent);
      return targetCommand(UpsertTarget.subject, definition, () => ({ kind: 'upsert', definition, id: randomUUID(), now: new Date().toISOString() }), seals);
    }));
    const replies = await Promise.all(upserts.map((upsert, i) =>
      handleCommand(service.pool, { commandId: `batch-${i}`, correlationId: `batch-${i}`, actor: 'tester', issuedAt: new Date().toISOString() }, upsert)));
    expect(replies.map((r) => r.ok && r.value.resourceVersion)).toEqual([1, 1, 2, 1]);
    for (const [name, expected] of [['batch-a', annotations], ['batch-b', sealed], ['batch-c', {}]] as const) {
      expect(await commands.query(GetTarget, { namespace: 'default', name })).toMatchObject({ ok: true, value: { annotations: expected } });
    }
    expectNoSecretIn(await rows('SELECT data::text AS row FROM events'));
    await expectReplayEqual();
  });

  it('answers a deleted target\'s values', async () => {
    const deleted = await commands.send(DeleteTarget, { namespace: 'default', name: 'steady' }, { actor });
    expect(deleted).toMatchObject({ reply: { ok: true, value: { name: 'steady', annotations } } });
    expectNoSecretIn(await rows('SELECT outcome::text AS row FROM command_outcomes'));
  });

  it('refuses an annotation holding a token (it would be replaced by a stored secret), naming it', async () => {
    const stolen = await rows("SELECT data->'annotations'->>'db-password' AS row FROM events WHERE type = 'target.created.v1' LIMIT 1");
    const refused = await commands.send(CreateTarget, { ...vault('thief'), annotations: { copy: stolen[0]! } }, { actor });
    expect(refused).toMatchObject({ reply: { ok: false, error: { code: 'invalid', field: 'metadata.annotations.copy' } } });
  });

  it('projects and replays a target recorded before annotations were sealed, values in clear', async () => {
    const old = { ...vault('legacy'), id: '0b8f4a4e-0000-4000-8000-00000000a11d', createdAt: '2026-01-01T00:00:00.000Z' };
    const streamId = targetStreamId(old);
    await inTransaction(service.pool, async (tx) => {
      const appended = await appendToStream(tx, streamId, 0, [{ type: TargetCreated.type, data: old }],
        { commandId: 'legacy', correlationId: 'legacy', actor: 'tester', schemaVersion: 1, occurredAt: old.createdAt });
      await targetsProjection.apply(tx, [{ type: TargetCreated.type, data: old, position: appended.positions[0]!, transactionId: '', eventId: '', streamId, streamVersion: 1, metadata: {} as never }]);
    });
    expect(await commands.query(GetTarget, { namespace: 'default', name: 'legacy' })).toMatchObject({ ok: true, value: { annotations } });
    await expectReplayEqual();
    // Its next change is recorded sealed.
    const relabelled = await commands.send(UpsertTarget, { ...vault('legacy'), labels: { tier: 'b' } }, { actor });
    expect(relabelled).toMatchObject({ reply: { ok: true, value: { annotations, labels: { tier: 'b' }, resourceVersion: 2 } } });
    expectNoSecretIn(await rows(`SELECT data::text AS row FROM events WHERE stream_id = '${streamId}' AND stream_version = 2`));
    await expectReplayEqual();
  });
});
