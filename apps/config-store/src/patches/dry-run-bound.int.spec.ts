import 'reflect-metadata';
import { DryRunPatches, UploadBaseConfigs } from '@slipway/contracts';
import { createTestDatabase } from '@slipway/testing';
import { completed, startTestConfigStore, tester as actor, type TestConfigStore } from '../config-store.testing';
import { DRY_RUNS_AT_ONCE } from './patch-queries.handler';

/**
 * Dry runs are queries, which nothing queues: each holds the model and its text, so a process
 * takes a few at once and refuses more "retry shortly" rather than holding all it is sent.
 */
describe('dry runs at once', () => {
  let store: TestConfigStore;

  beforeAll(async () => {
    store = await startTestConfigStore(await createTestDatabase());
    completed(await store.commands.send(UploadBaseConfigs, { releaseVersion: '1.0.0', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LEVEL: INFO\n' }, { actor }));
  });
  afterAll(() => store.close());

  it('are refused "retry shortly" past the bound, and taken again once those under way are done', async () => {
    // given patch texts each read on the worker for a good while (about half a second each, one at a time)
    const text = `# target: settings\ndata:\n${Array.from({ length: 20_000 }, (_, i) => `  KEY_${i}: value-${i}`).join('\n')}\n`;
    // when twice the bound are sent at once
    const replies = await Promise.all(Array.from({ length: 2 * DRY_RUNS_AT_ONCE }, () => store.commands.query(DryRunPatches, { text }, 60_000)));
    // then as many as the bound are answered, the others refused "retry shortly"
    const refused = replies.filter((reply) => !reply.ok);
    expect(replies.filter((reply) => reply.ok)).toHaveLength(DRY_RUNS_AT_ONCE);
    expect(refused).toHaveLength(DRY_RUNS_AT_ONCE);
    expect(refused[0]).toEqual({ ok: false, error: { code: 'unavailable', message: `the config-store is dry-running ${DRY_RUNS_AT_ONCE} patch texts already; retry shortly` } });
    // and one sent after them is answered
    expect(await store.commands.query(DryRunPatches, { text }, 60_000)).toMatchObject({ ok: true });
  });
});
