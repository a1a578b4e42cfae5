import 'reflect-metadata';
import { Bus, CommandBus, encode } from '@slipway/bus';
import {
  CreateTarget, DeleteTarget, GetTarget, InstallationCreated, ListTargets, TargetCreated, TargetDeleted, UpsertTarget,
  installationStreamId, replySubject, targetStreamId,
} from '@slipway/contracts';
import { appendToStream, inTransaction } from '@slipway/event-log';
import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import type { RunningService } from '@slipway/runtime';
import { startDeployer } from '../service';
import { targetReferencesProjection } from './target-references.projection';
import { targetsProjection } from './targets.projection';

const actor = { principal: 'tester', kind: 'token' as const };

describe('deployment targets over the bus (a plain NATS publisher, no gateway)', () => {
  let service: RunningService;
  let bus: Bus;
  let commands: CommandBus;

  beforeAll(async () => {
    const prefix = testBusPrefix();
    service = await startDeployer({ databaseUrl: await createTestDatabase(), natsUrl: natsUrl(), busPrefix: prefix });
    bus = await Bus.connect({ url: natsUrl(), prefix });
    commands = new CommandBus(bus);
  });
  afterAll(async () => {
    await bus.close();
    await service.close();
  });

  const staging = { namespace: 'default', name: 'staging', labels: { a: 'b' }, annotations: {}, kubernetesNamespace: 'staging' };

  it('creates, reads, lists, updates metadata and refuses a spec change', async () => {
    const created = await commands.send(CreateTarget, staging, { actor });
    expect(created).toMatchObject({ status: 'completed', reply: { ok: true, value: { name: 'staging', resourceVersion: 1 } } });

    const read = await commands.query(GetTarget, { namespace: 'default', name: 'staging' });
    expect(read).toMatchObject({ ok: true, value: { kubernetesNamespace: 'staging', labels: { a: 'b' } } });

    const updated = await commands.send(UpsertTarget, { ...staging, labels: { a: 'c' } }, { actor });
    expect(updated).toMatchObject({ reply: { ok: true, value: { labels: { a: 'c' }, resourceVersion: 2 } } });

    const refused = await commands.send(UpsertTarget, { ...staging, kubernetesNamespace: 'prod' }, { actor });
    expect(refused).toMatchObject({ reply: { ok: false, error: { code: 'immutable', field: 'spec.kubernetes.namespace' } } });

    const list = await commands.query(ListTargets, { namespace: 'default' });
    expect(list.ok && list.value.map((t) => t.name)).toEqual(['staging']);
  });

  it('answers a redelivered command with its first outcome and appends nothing', async () => {
    const commandId = 'dedupe-1';
    const first = await commands.send(CreateTarget, { ...staging, name: 'dedupe' }, { actor, commandId });
    expect(first).toMatchObject({ status: 'completed', reply: { ok: true } });
    // The same command delivered again past JetStream's dedupe (another message id).
    const reply = bus.nc.subscribe(bus.subject(replySubject(commandId)), { max: 1 });
    const envelope = { commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), payload: { ...staging, name: 'dedupe' } };
    await bus.js.publish(bus.subject(CreateTarget.subject), encode(envelope), { msgID: `${commandId}-again` });
    for await (const msg of reply) expect(JSON.parse(msg.string())).toEqual(first.status === 'completed' && first.reply);
    const { rows } = await service.pool.query("SELECT count(*)::int AS n FROM events WHERE stream_id = 'target-default/dedupe'");
    expect(rows[0].n).toBe(1);
  });

  it('refuses another kind of command sent under a handled command\'s id, rather than answering it the first one\'s outcome', async () => {
    const commandId = 'reused-across-subjects';
    expect(await commands.send(CreateTarget, { ...staging, name: 'kept' }, { actor, commandId })).toMatchObject({ reply: { ok: true } });
    // A delete under the id, past JetStream's dedupe (another message id), as a publisher reusing ids would send it.
    const reply = bus.nc.subscribe(bus.subject(replySubject(commandId)), { max: 1 });
    const envelope = { commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), payload: { namespace: 'default', name: 'kept' } };
    await bus.js.publish(bus.subject(DeleteTarget.subject), encode(envelope), { msgID: `${commandId}-delete` });
    for await (const msg of reply) {
      expect(JSON.parse(msg.string())).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid', field: 'commandId', message: expect.stringContaining('another kind of command') }) });
    }
    expect(await commands.query(GetTarget, { namespace: 'default', name: 'kept' })).toMatchObject({ ok: true, value: { name: 'kept' } });
  });

  it('records a command\'s time as the log writes every time, whatever offset and precision its sender used', async () => {
    const commandId = 'offset-time';
    const reply = bus.nc.subscribe(bus.subject(replySubject(commandId)), { max: 1 });
    // an hour ago, written at +02:00 with microseconds
    const sent = Date.now() - 3600_000;
    const issuedAt = new Date(sent + 2 * 3600_000).toISOString().replace('Z', '901+02:00');
    const envelope = { commandId, correlationId: commandId, actor, issuedAt, payload: { ...staging, name: 'timed' } };
    await bus.js.publish(bus.subject(CreateTarget.subject), encode(envelope), { msgID: commandId });
    const recorded = new Date(sent).toISOString();
    for await (const msg of reply) expect(JSON.parse(msg.string())).toMatchObject({ ok: true, value: { createdAt: recorded } });
    const { rows } = await service.pool.query("SELECT data->>'createdAt' AS created, metadata->>'occurredAt' AS occurred FROM events WHERE stream_id = 'target-default/timed'");
    expect(rows).toEqual([{ created: recorded, occurred: recorded }]);
  });

  it('refuses a command carried out late (no sender waits) that was issued before the target\'s last change: it would undo it', async () => {
    // given a target created and deleted, each answered
    const key = { namespace: 'default', name: 'superseded' };
    expect(await commands.send(CreateTarget, { ...staging, ...key }, { actor })).toMatchObject({ reply: { ok: true } });
    expect(await commands.send(DeleteTarget, key, { actor })).toMatchObject({ reply: { ok: true } });
    // when a create issued before the delete reaches the deployer after it (as one answered 202 would, delivered again after a crash)
    const commandId = 'superseded-create';
    const reply = bus.nc.subscribe(bus.subject(replySubject(commandId)), { max: 1 });
    const issuedAt = new Date(Date.now() - 60_000).toISOString();
    await bus.js.publish(bus.subject(CreateTarget.subject), encode({ commandId, correlationId: commandId, actor, issuedAt, payload: { ...staging, ...key } }), { msgID: commandId });
    // then it is refused as a conflict, its refusal the outcome, and the target stays deleted
    for await (const msg of reply) expect(JSON.parse(msg.string())).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('was changed by a command issued after this one') } });
    expect(await commands.query(GetTarget, key)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // and one issued now is carried out
    const again = 'superseded-create-again';
    const replied = bus.nc.subscribe(bus.subject(replySubject(again)), { max: 1 });
    await bus.js.publish(bus.subject(CreateTarget.subject), encode({ commandId: again, correlationId: again, actor, issuedAt: new Date().toISOString(), payload: { ...staging, ...key } }), { msgID: again });
    for await (const msg of replied) expect(JSON.parse(msg.string())).toMatchObject({ ok: true });
  });

  it('refuses invalid input naming the field, and writes nothing', async () => {
    const before = await service.pool.query('SELECT count(*)::int AS n FROM events');
    const bad = await commands.send(CreateTarget, { ...staging, name: 'Not_Valid!' } as never, { actor });
    expect(bad).toMatchObject({ reply: { ok: false, error: { code: 'invalid', field: 'name' } } });
    const after = await service.pool.query('SELECT count(*)::int AS n FROM events');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses to delete a target while an installation references it', async () => {
    await commands.send(CreateTarget, { ...staging, name: 'busy' }, { actor });
    const installationId = '0b8f4a4e-0000-4000-8000-000000000001';
    await inTransaction(service.pool, async (tx) => {
      const data = { installationId, namespace: 'default', name: 'web', target: 'busy' };
      const appended = await appendToStream(tx, installationStreamId(installationId), 0, [{ type: InstallationCreated.type, data }],
        { commandId: 'i1', correlationId: 'i1', actor: 'tester', schemaVersion: 1, occurredAt: new Date().toISOString() });
      await targetReferencesProjection.apply(tx, [{ type: InstallationCreated.type, data, position: appended.positions[0]!, transactionId: '', eventId: '', streamId: installationStreamId(installationId), streamVersion: 1, metadata: {} as never }]);
    });
    const refused = await commands.send(DeleteTarget, { namespace: 'default', name: 'busy' }, { actor });
    expect(refused).toMatchObject({ reply: { ok: false, error: { code: 'referenced' } } });

    const deleted = await commands.send(DeleteTarget, { namespace: 'default', name: 'dedupe' }, { actor });
    expect(deleted).toMatchObject({ reply: { ok: true, value: { name: 'dedupe' } } });
    expect(await commands.query(GetTarget, { namespace: 'default', name: 'dedupe' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('deletes a target whose name hashes like a one-key advisory lock another session holds (a leadership lock)', async () => {
    await commands.send(CreateTarget, { ...staging, name: 'held' }, { actor });
    // The one-key lock a leader holds for good (the relay's, a projector's); a target name
    // can be found whose hash is the same. Here the hash of the name's own text stands in.
    const leader = await service.pool.connect();
    try {
      await leader.query('SELECT pg_advisory_lock(hashtext($1))', ['target:default/held']);
      const deleted = await commands.send(DeleteTarget, { namespace: 'default', name: 'held' }, { actor });
      expect(deleted).toMatchObject({ status: 'completed', reply: { ok: true, value: { name: 'held' } } });
    } finally {
      await leader.query('SELECT pg_advisory_unlock_all()');
      leader.release();
    }
  });

  it('leaves no row of a target that one projected batch deletes, makes again and deletes again', async () => {
    const first = await commands.send(CreateTarget, { ...staging, name: 'churn' }, { actor });
    const firstId = first.status === 'completed' && first.reply.ok ? first.reply.value.id : '';
    const again = '0b8f4a4e-0000-4000-8000-0000000000c2';
    const streamId = targetStreamId({ namespace: 'default', name: 'churn' });
    const now = new Date().toISOString();
    const batch = [
      { type: TargetDeleted.type, data: { id: firstId, deletedAt: now } },
      { type: TargetCreated.type, data: { ...staging, name: 'churn', id: again, createdAt: now } },
      { type: TargetDeleted.type, data: { id: again, deletedAt: now } },
    ].map((e, i) => ({ ...e, position: 0, transactionId: '', eventId: '', streamId, streamVersion: 2 + i, metadata: {} as never }));
    await inTransaction(service.pool, (tx) => targetsProjection.apply(tx, batch));
    expect(await commands.query(GetTarget, { namespace: 'default', name: 'churn' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('keeps namespaces apart', async () => {
    await commands.send(CreateTarget, { ...staging, namespace: 'other' }, { actor });
    const other = await commands.query(ListTargets, { namespace: 'other' });
    expect(other.ok && other.value.map((t) => `${t.namespace}/${t.name}`)).toEqual(['other/staging']);
  });
});
