import 'reflect-metadata';
import { UpgradeHistory, UploadBaseConfigs, replyValue } from '@slipway/contracts';
import { completed, startTestConfigStore, tester as actor, type TestConfigStore } from '../config-store.testing';

const configMap = (release: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  RELEASE: "${release}"\n`;

/** base_configs/history: the document says it "optionally supports pagination", so unpaged it is every upgrade. */
describe('upgrade history', () => {
  let store: TestConfigStore;
  const releases = Array.from({ length: 102 }, (_, i) => `1.0.${i}`);

  beforeAll(async () => {
    store = await startTestConfigStore();
    for (const release of releases) completed(await store.commands.send(UploadBaseConfigs, { releaseVersion: release, text: configMap(release) }, { actor }));
  }, 120_000);
  afterAll(() => store.close());

  const versions = async (page: { limit?: number; offset?: number }) => (replyValue(await store.commands.query(UpgradeHistory, page as { offset: number })) as Array<{ version: string }>).map((u) => u.version);

  it('answers every upgrade, in version order, when no limit is asked', async () => {
    expect(await versions({})).toEqual(releases);
  });

  it('answers a page when one is asked', async () => {
    expect(await versions({ limit: 5, offset: 100 })).toEqual(['1.0.100', '1.0.101']);
    expect(await versions({ offset: 99 })).toEqual(['1.0.99', '1.0.100', '1.0.101']);
  });
});
