import 'reflect-metadata';
import { ListMaterialized, ListMaterializedNames, UploadBaseConfigs, type Reply } from '@slipway/contracts';
import { createTestDatabase } from '@slipway/testing';
import { completed, startTestConfigStore, tester as actor, type TestConfigStore } from '../config-store.testing';

const configMap = (name: string, level: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  LEVEL: ${level}
`;

/**
 * The materialized configs as the deployer asks for them: a push of a few objects reads
 * those only (a store may hold tens of MB), a drift check the names only, each in byte
 * order whatever the database's locale, so that answers read apart list alike.
 */
describe('materialized config queries', () => {
  let store: TestConfigStore;
  // Byte order puts "-" before "." before digits before letters; a locale's order ignores punctuation first.
  const names = ['web.conf', 'web-conf', 'webconf', 'a.b', 'ab', 'a-b', 'a0'];
  const inByteOrder = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

  beforeAll(async () => {
    // A collation that orders as people read, punctuation last (ICU's, which Debian's Postgres has): "a0" before "a-b" there.
    store = await startTestConfigStore(await createTestDatabase("LOCALE_PROVIDER icu ICU_LOCALE 'en-US-u-ka-shifted' LOCALE 'C' TEMPLATE template0"));
    completed(await store.commands.send(UploadBaseConfigs, { releaseVersion: 'r1', text: names.map((n) => configMap(n, 'INFO')).join('---\n') }, { actor }));
    completed(await store.commands.send(UploadBaseConfigs, { releaseVersion: 'r2', text: configMap('ab', 'DEBUG') }, { actor }));
  });
  afterAll(async () => {
    await store.close();
  });

  function value<T>(reply: Reply<T>): T {
    if (!reply.ok) throw new Error(`query failed: ${JSON.stringify(reply)}`);
    return reply.value;
  }

  it('lists every object\'s latest config by name in byte order', async () => {
    const all = value(await store.commands.query(ListMaterialized, {}));
    expect(all.map((v) => v.objectName)).toEqual(inByteOrder);
    expect(all.find((v) => v.objectName === 'ab')).toMatchObject({ releaseVersion: 'r2', config: expect.stringContaining('DEBUG') });
  });

  it('lists the named objects only, in the same order; a name without a config is not in the answer', async () => {
    const some = value(await store.commands.query(ListMaterialized, { objects: ['web.conf', 'ab', 'never-uploaded', 'a0', 'a-b', 'ab'] }));
    expect(some.map((v) => `${v.objectName}@${v.releaseVersion}`)).toEqual(['a-b@r1', 'a0@r1', 'ab@r2', 'web.conf@r1']);
    expect(value(await store.commands.query(ListMaterialized, { objects: [] }))).toEqual([]);
  });

  it('lists the names alone in the same order', async () => {
    expect(value(await store.commands.query(ListMaterializedNames, {}))).toEqual(inByteOrder);
  });

  it('refuses more names than a query takes, and a name that is not one, saying so', async () => {
    const many = await store.commands.query(ListMaterialized, { objects: Array.from({ length: 10_001 }, (_, i) => `o${i}`) });
    expect(many).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('objects') } });
    const bad = await store.commands.query(ListMaterialized, { objects: ['not/a/name'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('Kubernetes object name') } });
  });
});
