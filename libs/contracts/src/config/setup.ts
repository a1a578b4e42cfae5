import { z } from 'zod';
import { command, query } from '../define';
import type { ApplyOutcome } from './base-configs';

const none = z.object({}).strict();
/**
 * Initialises the Deployment Manager metadata (default labels); repeating it binds them again.
 * Answered with what it changed, pushed as any write's (absent in outcomes recorded before it was).
 */
export const SetUpDeploymentManager = command<typeof none, { status: 'OK' } & Partial<ApplyOutcome>>('cmd.config.set-up.v1', none);
export const SetupStatus = query<typeof none, { isSetup: boolean }>('qry.config.setup-status.v1', none, { hedged: true });

/** The document's database options; strings "true"/"false" are accepted as booleans. */
export const databaseOptions = z.object({
  create_admin_account: z.boolean(),
  admin_email: z.email('must be an email address').optional(),
  admin_username: z.string().min(1).max(200).default('admin'),
  enable_control_plane: z.boolean().default(false),
  enable_key_service: z.boolean().default(false),
  enable_ml_studio: z.boolean().default(false),
  enable_model_registry_pv: z.boolean().default(false),
  enable_repo_projects: z.boolean().default(false),
  /** In the document's own Python examples, not in its parameter table: accepted, ignored. */
  enable_models: z.boolean().optional(),
}).strict();
export type DatabaseOptions = z.infer<typeof databaseOptions>;

export const SetUpDatabase = command<typeof databaseOptions, { status: 'OK' }>('cmd.config.set-up-database.v1', databaseOptions);
export const MockDdl = query<typeof databaseOptions, { ddls: string[] }>('qry.config.mock-ddl.v1', databaseOptions);
export const DatabaseConnection = query<typeof none, { ok: boolean }>('qry.config.database-connection.v1', none);
