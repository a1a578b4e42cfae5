import { randomUUID } from 'node:crypto';
import { Bus, CommandBus } from '@slipway/bus';
import { ImportTelemetry, REDACTED, TelemetryImportConfigs, type Actor } from '@slipway/contracts';
import { createPool, migrate } from '@slipway/event-log';
import type { RunningService } from '@slipway/runtime';
import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import type { Pool } from 'pg';
import { startTelemetry } from '../service';
import { jobIdOf } from './job-id';
import { telemetryMigrations } from './migrations';
import { IMPORT_STREAM } from './telescope.decider';

const actor: Actor = { principal: 'tester', kind: 'token' };
const manifest = { services: ['api'], data_sources: ['CONFIGS'], start: '2026-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z', label: 'l-1767225600000' };

/** What an import records and answers hides what reads as a secret, as an export's request does, by today's rules. */
describe('a telescope import', () => {
  let pool: Pool;
  let bus: Bus;
  let telemetry: RunningService;

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url, telemetryMigrations);
    pool = createPool(url, { schema: 'telemetry' });
    const config = { databaseUrl: url, natsUrl: natsUrl(), busPrefix: testBusPrefix() };
    telemetry = await startTelemetry(config);
    bus = await Bus.connect({ url: config.natsUrl, prefix: config.busPrefix });
  });
  afterAll(async () => {
    await telemetry?.close();
    await bus?.close();
    await pool?.end();
  });

  it('records the uploaded file\'s name with a URL\'s password [redacted], as an export\'s label is', async () => {
    const commandId = randomUUID();
    const fileName = 'https://ops:Zq8vLmT4pW2x@files.example/export.zip';
    const sent = await new CommandBus(bus).send(ImportTelemetry, { fileName, files: [{ path: 'manifest.json', text: JSON.stringify(manifest) }] }, { actor, commandId, waitMs: 20_000 });

    expect(sent).toMatchObject({ status: 'completed', reply: { ok: true, value: { job_status: 'SUCCESS', request: { zip_file_path: `https://ops:${REDACTED}@files.example/export.zip` } } } });
    const { rows: events } = await pool.query('SELECT data FROM public.events WHERE stream_id = $1', [IMPORT_STREAM(jobIdOf(commandId))]);
    const { rows: jobs } = await pool.query('SELECT request FROM telescope_jobs WHERE id = $1', [jobIdOf(commandId)]);
    expect(events).toHaveLength(1);
    expect(jobs).toHaveLength(1);
    expect(JSON.stringify([events, jobs])).not.toContain('Zq8vLmT4pW2x');
  });

  it('reads the patches its configs hold as the events API does: one naming no kind as a Secret\'s, before storing or showing them', async () => {
    // given a configs.json holding a patch event whose patch names no kind, and an event of
    // another shape whose patch text names none either: by key names alone, neither is a secret
    const commandId = randomUUID();
    const configs = {
      'service/x': {
        config: 'apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n',
        configEvents: [{ type: 'config.patch-applied.v1', data: { patch: '# target: x\nstringData:\n  a: Lone9PatchQ7v\n' } }],
      },
      'patch-log@1': { type: 'patch.applied.v1', data: { patches: [{ kind: null, patch: 'stringData:\n  extra: Event4PatchK2w', format: 'YAML', target: 'x', version: 1, description: '' }] } },
      // a format the events API reads as no config patch, its description repeating the value; and a text past 64 KiB, which it does not parse
      'patch-log@2': { type: 'patch.applied.v1', data: { patches: [{ kind: null, patch: 'stringData:\n  extra: Fmt6PatchW1n', format: 'yaml', target: 'x', version: 2, description: 'set Fmt6PatchW1n' }] } },
      'patch-log@3': { type: 'patch.applied.v1', data: { patches: [{ kind: null, patch: `stringData:\n${'  filler-key: some-value\n'.repeat(3_000)}  extra: Long5PatchZ3q\n`, format: 'YAML', target: 'x', version: 3, description: '' }] } },
    };
    const files = [{ path: 'manifest.json', text: JSON.stringify(manifest) }, { path: 'configs.json', text: JSON.stringify(configs) }];

    // when it is imported, and its configs read
    const sent = await new CommandBus(bus).send(ImportTelemetry, { fileName: 'export.zip', files }, { actor, commandId, waitMs: 20_000 });
    const read = await new CommandBus(bus).query(TelemetryImportConfigs, { id: jobIdOf(commandId) }, 10_000, actor);

    // then both values are hidden where a reader is shown them, and neither is stored
    expect(sent).toMatchObject({ status: 'completed', reply: { ok: true } });
    expect(read).toMatchObject({ ok: true, value: {
      'service/x': { ...configs['service/x'], configEvents: [{ type: 'config.patch-applied.v1', data: { patch: `# target: x\nstringData:\n  a: ${REDACTED}\n` } }] },
      'patch-log@1': { type: 'patch.applied.v1', data: { patches: [{ ...configs['patch-log@1'].data.patches[0], patch: `stringData:\n  extra: ${REDACTED}` }] } },
      'patch-log@2': { data: { patches: [{ patch: `stringData:\n  extra: ${REDACTED}`, description: REDACTED }] } },
    } });
    expect(JSON.stringify(read)).not.toMatch(/Lone9PatchQ7v|Event4PatchK2w|Fmt6PatchW1n|Long5PatchZ3q/);
    const { rows: events } = await pool.query('SELECT data FROM public.events WHERE stream_id = $1', [IMPORT_STREAM(jobIdOf(commandId))]);
    const { rows: jobs } = await pool.query('SELECT configs FROM telescope_jobs WHERE id = $1', [jobIdOf(commandId)]);
    expect(events).toHaveLength(1);
    expect(jobs).toHaveLength(1);
    expect(JSON.stringify([events, jobs])).not.toMatch(/Lone9PatchQ7v|Event4PatchK2w|Fmt6PatchW1n|Long5PatchZ3q/);
  });

  it('answers its configs redacted on every read, though a row recorded by older rules holds a secret', async () => {
    // given an import's row as an earlier version stored it, a secret in its configs in the clear
    const id = randomUUID();
    // (and one past the audit API's parse bound whose password only its structure tells: an alias)
    const large = `kind: ConfigMap\ndata:\n  shared: &pw aliasedInTheClear\n  password: *pw\n${Array.from({ length: 4_000 }, (_, i) => `  key${i}: value-${i}`).join('\n')}\n`;
    const configs = {
      'service/api': { releaseVersion: '1.0', state: 'IS_GOLDEN', config: 'kind: ConfigMap\ndata:\n  API_TOKEN: t0kenInTheClear\n' },
      'service/big': { releaseVersion: '1.0', state: 'IS_GOLDEN', config: large },
      'patch-log@1': { type: 'config.patch-applied.v1', data: { patch: 'stringData:\n  a: patchInTheClear\n' } },
    };
    await pool.query(`INSERT INTO telescope_jobs (kind, id, job_status, request, result, configs) VALUES ('import', $1, 'SUCCESS', $2, $3, $4)`,
      [id, JSON.stringify({ zip_file_path: 'old.zip' }), JSON.stringify(manifest), JSON.stringify(configs)]);

    // when its configs are read
    const read = await new CommandBus(bus).query(TelemetryImportConfigs, { id }, 10_000, actor);

    // then the secret is hidden, the rest as stored
    expect(read).toEqual({ ok: true, value: {
      'service/api': { ...configs['service/api'], config: `kind: ConfigMap\ndata:\n  API_TOKEN: ${REDACTED}\n` },
      'service/big': { ...configs['service/big'], config: large.replace('aliasedInTheClear', REDACTED).replace('*pw', REDACTED) },
      'patch-log@1': { type: 'config.patch-applied.v1', data: { patch: `stringData:\n  a: ${REDACTED}\n` } },
    } });
  });
});
