import { Module, type DynamicModule } from '@nestjs/common';
import type { CommandBus } from '@slipway/bus';
import { healthHandler } from '@slipway/runtime';
import { BaseConfigQueriesHandler } from './base-configs/base-config-queries.handler';
import { UpdateBaseImageHandler } from './base-configs/update-base-image.handler';
import { UploadBaseConfigsHandler } from './base-configs/upload-base-configs.handler';
import { LabelQueriesHandler } from './labels/label-queries.handler';
import { LabelHandlers } from './labels/label.handlers';
import { MaterializedQueriesHandler } from './materialize/materialized-queries.handler';
import { ChangePusher, CONFIG_COMMANDS } from './model/change-pusher';
import { ApplyPatchesHandler } from './patches/apply-patches.handler';
import { DeletePatchHandler } from './patches/delete-patch.handler';
import { PatchQueriesHandler } from './patches/patch-queries.handler';
import { RewriteHandlers } from './patches/rewrite.handlers';
import { SettingsHandlers } from './settings/settings.handlers';
import { SetupHandlers } from './setup/setup.handlers';

/** Base configs, patches, labels, materialized configs, settings and setup (the Instabase Deployment Manager). */
export function configStoreModule(database: DynamicModule, commands: CommandBus) {
  @Module({
    imports: [database],
    providers: [{ provide: CONFIG_COMMANDS, useValue: commands }, ChangePusher],
    controllers: [
      healthHandler('config'), UploadBaseConfigsHandler, UpdateBaseImageHandler, BaseConfigQueriesHandler,
      ApplyPatchesHandler, DeletePatchHandler, RewriteHandlers, PatchQueriesHandler, MaterializedQueriesHandler,
      LabelHandlers, LabelQueriesHandler, SettingsHandlers, SetupHandlers,
    ],
  })
  class ConfigStoreModule {}
  return ConfigStoreModule;
}
