import { startService, type ServiceConfig } from '@slipway/runtime';
import { bootstrapAdmin } from './access/bootstrap-admin';
import { deployerModule } from './deployer.module';
import { deployerMigrations } from './migrations';
import { targetReferencesProjection } from './targets/target-references.projection';
import { targetsProjection } from './targets/targets.projection';
import { tokensProjection } from './access/tokens.projection';

/** The deployer's read models: rebuilt and compared by `npm run replay`. */
export const deployerProjections = [targetsProjection, targetReferencesProjection, tokensProjection];

export async function startDeployer(config: ServiceConfig & { adminToken?: string }) {
  const service = await startService({ name: 'deployer', schema: 'deployer', module: deployerModule, migrations: deployerMigrations }, config);
  if (config.adminToken) await bootstrapAdmin(service.pool, config.adminToken);
  return service;
}
