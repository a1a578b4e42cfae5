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

/** What those routes share: writes answered with the push of what they changed. */
export const instabaseProviders = [ConfigWrites];
