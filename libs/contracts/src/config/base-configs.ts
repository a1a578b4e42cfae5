import { z } from 'zod';
import { command, query } from '../define';
import { imageReferenceProblem } from './image-reference';
import { objectName, releaseVersion, MAX_CONFIG_TEXT } from './names';
import { wholeNumber } from '../names';

/** What a write answers with: the objects whose materialized config changed. */
export interface ApplyOutcome {
  /** Objects pushed to the cluster (empty until the deployer applies configs). */
  successfulApply: string[];
  failedToApply: string[];
  /** Objects whose materialized config changed with this write. */
  materialized: string[];
  /** Why each object of `failedToApply` failed (the API server's reason), once a push has been tried. */
  failureReasons?: Record<string, string>;
  /** Stored patches this write left not applying to an object they applied to before (by version), when there are any. */
  patchesNotApplied?: Array<{ version: number; object: string }>;
}

const uploadBaseConfigs = z.object({
  releaseVersion,
  /** Multi-document YAML (`---` separated): one Kubernetes object per document. */
  text: z.string().min(1, 'must not be empty').max(16 * MAX_CONFIG_TEXT, `must be at most ${16 * MAX_CONFIG_TEXT} characters (16 MiB)`),
}).strict();
export const UploadBaseConfigs = command<typeof uploadBaseConfigs, ApplyOutcome>('cmd.config.upload-base-configs.v1', uploadBaseConfigs);

const updateBaseImage = z.object({
  object: objectName,
  image: z.string().min(1, 'must not be empty').max(512).regex(/^\S+$/, 'must not contain spaces').superRefine((image, context) => {
    const problem = imageReferenceProblem(image);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  comment: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1 to 40 characters of a-z, A-Z, 0-9, "-" or "_"'),
  /** Defaults to the first container. */
  container: z.string().min(1).max(253).optional(),
}).strict();
export const UpdateBaseImage = command<typeof updateBaseImage, ApplyOutcome>('cmd.config.update-base-image.v1', updateBaseImage);

export interface BaseConfigView {
  objectName: string;
  releaseVersion: string;
  previousReleaseVersion: string | null;
  kind: string;
  config: string;
  metadata: string;
  /** Is this the object's current base (its latest uploaded release)? */
  current: boolean;
  /**
   * Is this the release the cluster runs: the object's golden config (the one the deployer
   * last applied) was materialized from it? Absent from older config-stores: not golden.
   */
  golden?: boolean;
}
const listBaseConfigs = z.object({ version: releaseVersion.optional(), object: objectName.optional() }).strict();
export const ListBaseConfigs = query<typeof listBaseConfigs, BaseConfigView[]>('qry.config.list-base-configs.v1', listBaseConfigs, { hedged: true });

const objectKey = z.object({ object: objectName }).strict();
export const ObjectReleaseVersions = query<typeof objectKey, string[]>('qry.config.object-release-versions.v1', objectKey, { hedged: true });
export const ObjectContainers = query<typeof objectKey, string[]>('qry.config.object-containers.v1', objectKey, { hedged: true });

const none = z.object({}).strict();
export const AllReleaseVersions = query<typeof none, Array<{ objectName: string; versions: string[] }>>('qry.config.all-release-versions.v1', none, { hedged: true });

export interface UpgradeView {
  version: string;
  creators: string[];
  createdAtTimestampMS: number;
  lastUpdatedTimestampMS: number;
}
/** Paged only when asked (the document: "optionally supports pagination"): without a limit, every upgrade. */
const history = z.object({
  limit: wholeNumber({ min: 1, max: 1000 }).optional(),
  offset: wholeNumber({ min: 0 }).default(0),
}).strict();
export const UpgradeHistory = query<typeof history, UpgradeView[]>('qry.config.upgrade-history.v1', history, { hedged: true });

/** The platform's release: that of the latest base config upload (null before any). */
export const PlatformVersion = query<typeof none, { releaseVersion: string | null }>('qry.config.platform-version.v1', none, { hedged: true });
