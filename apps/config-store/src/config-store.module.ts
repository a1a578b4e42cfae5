import { Module, type DynamicModule } from '@nestjs/common';
import { healthHandler } from '@slipway/runtime';

/** Base configs, patches and materialized configs arrive with issue #4; the service already boots and answers health. */
export function configStoreModule(database: DynamicModule) {
  @Module({ imports: [database], controllers: [healthHandler('config')] })
  class ConfigStoreModule {}
  return ConfigStoreModule;
}
