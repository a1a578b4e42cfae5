import type { ApplyOutcome } from '@slipway/contracts';
import { takeWritersTurn, type Decider, type NewEvent, type StreamCommand } from '@slipway/event-log';
import { storingSeals, type CommandSeals } from '@slipway/sealing';
import type { PoolClient } from 'pg';
import { changedObjects, PatchDoesNotFit, type SkippedPatch } from '../materialize/materialize';
import type { ConfigModel } from '../materialize/model';
import { isNoObject, type Affected } from './affected';
import { configProjection } from './config.projection';
import { loadModel } from './load-model';

/**
 * What every config-store command shares: writes are serialised (so materialization
 * sees every earlier write), the config projection runs in the same transaction, and
 * text is recorded sealed (`seals`), its secrets stored beside the log with the events.
 */
export function configCommand<State, Command, Event extends NewEvent, Result>(spec: {
  subject: string; streamId: string; decider: Decider<State, Command, Event>;
  command: (tx: PoolClient) => Promise<Command>;
  result: StreamCommand<State, Command, Event, Result>['result'];
  /** The secrets the command's text was sealed with, stored with its events. */
  seals?: CommandSeals;
}): StreamCommand<State, Command, Event, Result> {
  const { seals, ...rest } = spec;
  return {
    ...rest,
    command: async (tx) => {
      // Serialised with every other write, and refused to an instance whose rules are older
      // than those the tables were rebuilt with (a rolling upgrade's repair).
      await takeWritersTurn(tx, configProjection);
      return spec.command(tx);
    },
    projections: [seals ? storingSeals(configProjection, seals) : configProjection],
    // The builders read the materialized model that configProjection writes.
    readsProjections: true,
  };
}

/** Why a patch does not fit an object, and which patch. */
export interface Misfit { reason: string; patch: number }

export interface Preview {
  /** The objects whose materialized config the change alters. */
  changed: string[];
  /** Why a new (strict) patch does not fit an object it targets, or one a binding brings is refused (newlyReaching). */
  misfit?: Misfit;
  /** How many objects (with a base) were loaded and materialized for the preview. */
  loaded: number;
  /** Stored patches the change leaves skipped where they applied before (changedObjects). */
  newlySkipped?: SkippedPatch[];
}

/**
 * The objects a change would re-materialize, or why new patches do not fit an object.
 * Only the `affected` objects are loaded and materialized: the caller names every object
 * the change can alter. `change` sees that part of the model, with every live patch (it
 * may bind labels that lead to patches the stored bindings do not).
 */
export async function previewChange(
  tx: PoolClient, affected: Affected, change: (model: ConfigModel) => ConfigModel, strict: ReadonlySet<number> = new Set(), checkNewlyReaching = false,
): Promise<Preview> {
  if (isNoObject(affected)) return { changed: [], loaded: 0 };
  const model = await loadModel(tx, affected, 'every');
  try {
    const { changed, newlySkipped } = changedObjects(model, change(model), strict, checkNewlyReaching);
    return { changed, loaded: model.bases.size, ...(newlySkipped.length > 0 ? { newlySkipped } : {}) };
  } catch (error) {
    if (error instanceof PatchDoesNotFit) return { changed: [], misfit: { reason: error.message, patch: error.version }, loaded: model.bases.size };
    throw error;
  }
}

/** What a write that changes nothing materialized previews. */
export const NO_CHANGE: Preview = { changed: [], loaded: 0 };

/** A write's outcome before its push: what its preview re-materialized, and the stored patches it left skipped. */
export const outcome = ({ changed, newlySkipped }: Preview): ApplyOutcome => ({
  successfulApply: [], failedToApply: [], materialized: changed, ...(newlySkipped ? { patchesNotApplied: newlySkipped } : {}),
});
