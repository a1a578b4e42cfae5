import { BackgroundPushes } from './background-pushes';
import { InstabaseBaseConfigsController } from './base-configs.controller';
import { InstabaseClusterController } from './cluster.controller';
import { ConfigWrites } from './config-writes';
import { InstabaseConfigsController } from './configs.controller';
import { InstabasePatchesController } from './patches.controller';
import { InstabasePlatformController } from './platform.controller';
import { InstabaseResourceLabelsController } from './resource-labels.controller';
import { InstabaseTelescopeController } from './telescope.controller';

/** Every route of the Instabase Deployment Manager dialect (`/api/v1/control_plane`). */
export const instabaseControllers = [
  InstabaseBaseConfigsController, InstabasePatchesController, InstabaseConfigsController, InstabaseResourceLabelsController,
  InstabasePlatformController, InstabaseClusterController, InstabaseTelescopeController,
];

/** What those routes share: writes that push what they changed, and pushes followed in the background. */
export const instabaseProviders = [ConfigWrites, BackgroundPushes];
