import { Module, type DynamicModule } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { TargetsModule } from './targets/targets.module';

export function deployerModule(database: DynamicModule) {
  @Module({ imports: [database, TargetsModule, AccessModule] })
  class DeployerModule {}
  return DeployerModule;
}
