import { Module, type DynamicModule } from '@nestjs/common';
import { healthHandler } from '@slipway/runtime';
import { AccessModule } from './access/access.module';
import type { ClusterAccess } from './cluster/cluster-access';
import { ClusterModule } from './cluster/cluster.module';
import { TargetsModule } from './targets/targets.module';

export function deployerModule(database: DynamicModule, cluster: ClusterAccess) {
  @Module({ imports: [database, TargetsModule, AccessModule, ClusterModule.forAccess(cluster)], controllers: [healthHandler('deployer')] })
  class DeployerModule {}
  return DeployerModule;
}
