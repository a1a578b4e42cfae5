import { startService, type RunningService, type ServiceConfig } from '@slipway/runtime';
import { bootstrapAdmin } from './access/bootstrap-admin';
import { ClusterAccess, type ClusterConfig } from './cluster/cluster-access';
import { deployerModule } from './deployer.module';
import { deployerMigrations } from './migrations';
import { targetReferencesProjection } from './targets/target-references.projection';
import { targetsProjection } from './targets/targets.projection';
import { tokensProjection } from './access/tokens.projection';

/** The deployer's read models: rebuilt and compared by `npm run replay`. */
export const deployerProjections = [targetsProjection, targetReferencesProjection, tokensProjection];

/**
 * Starts the deployer. Without `cluster.kubeconfig` it runs without a cluster: cluster
 * commands then refuse with `unavailable`, naming the missing configuration.
 */
export async function startDeployer(config: ServiceConfig & { adminToken?: string; cluster?: ClusterConfig }): Promise<RunningService> {
  const cluster = await ClusterAccess.open(config.cluster ?? {}, { url: config.natsUrl, prefix: config.busPrefix });
  try {
    const service = await startService({ name: 'deployer', schema: 'deployer', module: (db) => deployerModule(db, cluster), migrations: deployerMigrations, projections: deployerProjections }, config);
    if (config.adminToken) await bootstrapAdmin(service.pool, config.adminToken);
    return {
      ...service,
      async close() {
        await service.close();
        await cluster.close();
      },
    };
  } catch (error) {
    await cluster.close();
    throw error;
  }
}
