import { z } from 'zod';
import { event, type EventDataOf } from '../define';

const baseDocument = z.object({
  objectName: z.string(),
  kind: z.string(),
  apiVersion: z.string(),
  /** The document's text, as uploaded (one YAML document). */
  config: z.string(),
});
export type BaseDocument = z.infer<typeof baseDocument>;

export const BaseConfigsUploaded = event('baseconfig.uploaded.v1', z.object({
  releaseVersion: z.string(), documents: z.array(baseDocument), uploadedBy: z.string(), uploadedAt: z.string(),
}));
export const BaseImageUpdated = event('baseconfig.image-updated.v1', z.object({
  releaseVersion: z.string(), objectName: z.string(), container: z.string(), image: z.string(), comment: z.string(),
  config: z.string(), updatedBy: z.string(), updatedAt: z.string(),
}));
export type BaseConfigEvent =
  | { type: typeof BaseConfigsUploaded.type; data: EventDataOf<typeof BaseConfigsUploaded> }
  | { type: typeof BaseImageUpdated.type; data: EventDataOf<typeof BaseImageUpdated> };
export const baseConfigStreamId = (release: string): string => `baseconfig-${release}`;

export const patchFormat = z.enum(['YAML', 'JSON', 'NAMESPACE', 'REGISTRY']);
export type PatchFormat = z.infer<typeof patchFormat>;
const storedPatch = z.object({
  version: z.number().int(),
  target: z.string(),
  format: patchFormat,
  /** The kind the patch declares (it applies only to objects of that kind), if any. */
  kind: z.string().nullable(),
  /** The patch text as given, target line included. */
  patch: z.string(),
  description: z.string(),
  /**
   * A namespace or registry rewrite's description recorded sealed (its secret values as
   * tokens); before 2026-12-05 they were recorded as given. A YAML or JSON patch's text
   * and description are always sealed.
   */
  descriptionSealed: z.literal(true).optional(),
});
export type StoredPatch = z.infer<typeof storedPatch>;
export const PatchesApplied = event('patch.applied.v1', z.object({ patches: z.array(storedPatch), createdBy: z.string(), createdAt: z.string() }));
export const PatchDeleted = event('patch.deleted.v1', z.object({ version: z.number().int(), deletedAt: z.string() }));
export type PatchEvent =
  | { type: typeof PatchesApplied.type; data: EventDataOf<typeof PatchesApplied> }
  | { type: typeof PatchDeleted.type; data: EventDataOf<typeof PatchDeleted> };
/** Patch versions form one sequence, so all patches are one stream. */
export const PATCH_STREAM = 'patch-log';

const pair = z.object({ label: z.string(), objectName: z.string() });
export const LabelsBound = event('labels.bound.v1', z.object({ pairs: z.array(pair), boundAt: z.string() }));
export const ObjectBindingsDeleted = event('labels.object-bindings-deleted.v1', z.object({ objectName: z.string(), deletedAt: z.string() }));
export const DefaultLabelsUpdated = event('labels.defaults-updated.v1', z.object({ updatedAt: z.string() }));
export type LabelEvent =
  | { type: typeof LabelsBound.type; data: EventDataOf<typeof LabelsBound> }
  | { type: typeof ObjectBindingsDeleted.type; data: EventDataOf<typeof ObjectBindingsDeleted> }
  | { type: typeof DefaultLabelsUpdated.type; data: EventDataOf<typeof DefaultLabelsUpdated> };
export const LABEL_STREAM = 'labels-bindings';

/**
 * A secret setting as an event records it: its name, whether this update changed it, and
 * whether it now holds a value; the value itself is in the config-store's secret table.
 */
const withheldSetting = z.object({ name: z.string(), changed: z.boolean(), state: z.enum(['set', 'empty']) });
export type WithheldSetting = z.infer<typeof withheldSetting>;
/**
 * The whole settings document. `settings` holds the ordinary settings in clear and
 * `withheld` every secret one (see isSecretSetting). Events written before secrets were
 * withheld have no `withheld` and carry every setting, secrets included, in `settings`.
 */
export const SettingsUpdated = event('settings.updated.v1', z.object({
  settings: z.record(z.string(), z.string()), withheld: z.array(withheldSetting).optional(), updatedAt: z.string(),
}));
export type SettingsEvent = { type: typeof SettingsUpdated.type; data: EventDataOf<typeof SettingsUpdated> };
export const SETTINGS_STREAM = 'settings-platform';

export const DeploymentManagerSetUp = event('setup.completed.v1', z.object({ setUpAt: z.string() }));
export const DatabaseSetUp = event('setup.database-completed.v1', z.object({ options: z.record(z.string(), z.unknown()), setUpAt: z.string() }));
export type SetupEvent =
  | { type: typeof DeploymentManagerSetUp.type; data: EventDataOf<typeof DeploymentManagerSetUp> }
  | { type: typeof DatabaseSetUp.type; data: EventDataOf<typeof DatabaseSetUp> };
export const SETUP_STREAM = 'setup-deployment-manager';
