import 'reflect-metadata';
import { UploadBaseConfigs } from '@slipway/contracts';
import { createTestDatabase } from '@slipway/testing';
import { Client } from 'pg';
import { stringify } from 'yaml';
import { completed, startTestConfigStore, tester as actor } from '../config-store.testing';
import { configProjection } from './config.projection';

describe('a config store started after an upgrade of the materializer', () => {
  it('rebuilds the materialized configs from the log before it serves, when its rules changed', async () => {
    const databaseUrl = await createTestDatabase();
    const first = await startTestConfigStore(databaseUrl);
    const text = stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings-map' }, data: { a: 'b' } });
    completed(await first.commands.send(UploadBaseConfigs, { releaseVersion: '1.0', text }, { actor }));
    await first.close();

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const configs = async () => (await db.query<{ config: string }>("SELECT config FROM config.materialized_configs WHERE object_name = 'settings-map'")).rows.map((r) => r.config);
      const [built] = await configs();
      expect(built).toContain('settings-map');
      // What the previous version's materializer left, and the version it recorded.
      await db.query("UPDATE config.materialized_configs SET config = 'made by the old rules'");
      await db.query("UPDATE projection_versions SET version = 0 WHERE name = 'config_store'");

      const second = await startTestConfigStore(databaseUrl);
      await second.close();
      expect(await configs()).toEqual([built]);
      expect((await db.query("SELECT version FROM projection_versions WHERE name = 'config_store'")).rows).toEqual([{ version: configProjection.version }]);
    } finally {
      await db.end();
    }
  });
});
