import { DomainError, PatchDeleted, PatchesApplied, type PatchEvent, type StoredPatch } from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';
import type { Misfit } from '../model/config-command';
import type { ParsedPatch } from '../parsing/parse-patches';
import { nextVersions } from './patch-versions';

export interface PatchState {
  lastVersion: number;
  live: Set<number>;
}

export type PatchCommand =
  | { kind: 'apply'; patches: ParsedPatch[]; description: string; by: string; now: string;
      /** A rewrite's description, sealed (a YAML or JSON patch's always is). */
      descriptionSealed?: true;
      /** Why the new patches do not fit an object they target (found by materializing them). */
      misfit?: Misfit }
  | { kind: 'delete'; version: number; now: string };

/** The ordered patch log: numeric versions, strictly increasing, never reused. */
export const patchDecider: Decider<PatchState, PatchCommand, PatchEvent> = {
  initialState: () => ({ lastVersion: 0, live: new Set() }),
  snapshots: {
    name: 'patches', version: 1,
    encode: (state) => ({ lastVersion: state.lastVersion, live: [...state.live] }),
    decode: (json) => {
      const { lastVersion, live } = json as { lastVersion: number; live: number[] };
      return { lastVersion, live: new Set(live) };
    },
  },

  evolve(state, event) {
    const live = new Set(state.live);
    switch (event.type) {
      case PatchesApplied.type:
        for (const patch of event.data.patches) live.add(patch.version);
        return { lastVersion: Math.max(state.lastVersion, ...event.data.patches.map((p) => p.version)), live };
      case PatchDeleted.type:
        live.delete(event.data.version);
        return { ...state, live };
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'apply': {
        if (command.patches.length === 0) throw new DomainError('invalid', 'no patch given', 'patch');
        if (command.misfit) throw new DomainError('invalid', command.misfit.reason, 'patch');
        const versions = nextVersions(state.lastVersion, command.now, command.patches.length);
        const sealed = command.descriptionSealed ? { descriptionSealed: true as const } : {};
        const patches: StoredPatch[] = command.patches.map((p, i) => ({ ...p, version: versions[i]!, description: command.description, ...sealed }));
        return [{ type: PatchesApplied.type, data: { patches, createdBy: command.by, createdAt: command.now } }];
      }
      case 'delete':
        if (!state.live.has(command.version)) throw new DomainError('not-found', `patch version ${command.version} not found`, 'version');
        return [{ type: PatchDeleted.type, data: { version: command.version, deletedAt: command.now } }];
    }
  },
};
