import { z } from 'zod';
import { command, query } from '../define';
import type { ApplyOutcome } from './base-configs';
import { dnsLabelLike, MAX_PATCH_TEXT } from './patch-text';
import { objectName, patchVersion } from './names';
import { REGISTRY } from './image-reference';
import type { MaterializedView } from './materialized';

const applyPatches = z.object({
  /** One or more patches: YAML documents each led by `# target: <name>`, or the JSON patch format. */
  text: z.string().min(1, 'must not be empty').max(MAX_PATCH_TEXT, `must be at most ${MAX_PATCH_TEXT} characters (2 MiB)`),
  description: z.string().max(2000).default(''),
  /**
   * false: recorded and materialized, but not pushed by the config-store (see pushIdOf): for
   * a sender that pushes the patched objects itself, as a resize does in its namespace's turn.
   */
  push: z.boolean().optional(),
}).strict();
export const ApplyPatches = command<typeof applyPatches, ApplyOutcome & { versions: number[] }>('cmd.config.apply-patches.v1', applyPatches);

const deletePatch = z.object({ version: patchVersion }).strict();
export const DeletePatch = command<typeof deletePatch, ApplyOutcome>('cmd.config.delete-patch.v1', deletePatch);

/** Rewrites recorded as patches that target every object. */
const setNamespace = z.object({ namespace: dnsLabelLike, description: z.string().max(2000).default('') }).strict();
export const SetNamespace = command<typeof setNamespace, ApplyOutcome & { versions: number[] }>('cmd.config.set-namespace.v1', setNamespace);
/** An image reference's registry part (`gcr.io/instabase-public`, `localhost:5000/team`): image-reference.ts. */
const registry = z.string().min(1, 'must not be empty').max(255)
  .regex(REGISTRY, 'must be an image registry such as gcr.io/instabase-public or localhost:5000/team')
  .refine((value) => { const port = REGISTRY.exec(value)?.[1]; return port === undefined || (Number(port) >= 1 && Number(port) <= 65535); }, 'has a port outside 1-65535');
const setRegistry = z.object({
  registry,
  description: z.string().max(2000).default(''),
}).strict();
export const SetRegistry = command<typeof setRegistry, ApplyOutcome & { versions: number[] }>('cmd.config.set-registry.v1', setRegistry);

export interface PatchView {
  version: number;
  nextVersion: number | null;
  target: string;
  patch: string;
  metadata: string;
  description: string;
  /**
   * The description as a reader without `admin` sees it: its secrets, and the values its
   * command's patches hide where it repeats them, `[redacted]`. Absent for patches recorded
   * before it was kept, and from older config-stores.
   */
  descriptionShown?: string;
  /**
   * Is the patch part of a config the cluster runs: an object it reaches has a golden config
   * of this patch version or a later one? Absent from older config-stores: not golden.
   */
  golden?: boolean;
  /**
   * Is the patch's text read as a Secret's (it says `kind: Secret`, or names no kind, so may
   * reach one, now or once a label is bound), so that its `data`/`stringData` are a Secret's
   * values? Absent from older config-stores.
   */
  secretValues?: boolean;
}

const listPatches = z.object({ object: objectName.optional() }).strict();
export const ListPatches = query<typeof listPatches, PatchView[]>('qry.config.list-patches.v1', listPatches, { hedged: true });

/** The most patches one search answers: a larger `limit` is taken as this one (a limit is a most, not a promise). */
export const MOST_PATCHES_FOUND = 10_000;
const searchPatches = z.object({
  query: z.string().min(1, 'must not be empty').max(1000),
  caseSensitive: z.boolean(),
  limit: z.number().int().min(1, 'must be at least 1').max(MOST_PATCHES_FOUND),
}).strict();
export const SearchPatches = query<typeof searchPatches, PatchView[]>('qry.config.search-patches.v1', searchPatches, { hedged: true });

export interface DryRunEntry {
  message: string | null;
  dryRun: MaterializedView | null;
}
const dryRun = applyPatches.pick({ text: true }).strict();
/** The would-be materialized configs of a patch; stores nothing. */
export const DryRunPatches = query<typeof dryRun, DryRunEntry[]>('qry.config.dry-run-patches.v1', dryRun);
