import type { ApplyOutcome } from '@slipway/contracts';
import type { Decider, NewEvent, StreamCommand } from '@slipway/event-log';
import type { PoolClient } from 'pg';
import { changedObjects, PatchDoesNotFit } from '../materialize/materialize';
import type { ConfigModel } from '../materialize/model';
import { configProjection } from './config.projection';
import { loadModel, lockConfigStore } from './load-model';

/**
 * What every config-store command shares: writes are serialised (so materialization
 * sees every earlier write), and the config projection runs in the same transaction.
 */
export function configCommand<State, Command, Event extends NewEvent, Result>(spec: {
  subject: string; streamId: string; decider: Decider<State, Command, Event>;
  command: (tx: PoolClient) => Promise<Command>;
  result: StreamCommand<State, Command, Event, Result>['result'];
}): StreamCommand<State, Command, Event, Result> {
  return {
    ...spec,
    command: async (tx) => {
      await lockConfigStore(tx);
      return spec.command(tx);
    },
    projections: [configProjection],
  };
}

/** The objects a change would re-materialize, or why new patches do not fit an object. */
export async function previewChange(tx: PoolClient, change: (model: ConfigModel) => ConfigModel, strict: ReadonlySet<number> = new Set()): Promise<{ changed: string[]; misfit?: string }> {
  const model = await loadModel(tx);
  try {
    return { changed: changedObjects(model, change(model), strict).changed };
  } catch (error) {
    if (error instanceof PatchDoesNotFit) return { changed: [], misfit: error.message };
    throw error;
  }
}

export const outcome = (materialized: string[]): ApplyOutcome => ({ successfulApply: [], failedToApply: [], materialized });
