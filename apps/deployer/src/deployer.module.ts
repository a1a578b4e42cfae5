import { Module, type DynamicModule } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import type { ClusterAccess } from './cluster/cluster-access';
import { ClusterModule } from './cluster/cluster.module';
import { TargetsModule } from './targets/targets.module';

export function deployerModule(database: DynamicModule, cluster: ClusterAccess) {
  @Module({ imports: [database, TargetsModule, AccessModule, ClusterModule.forAccess(cluster)] })
  class DeployerModule {}
  return DeployerModule;
}
