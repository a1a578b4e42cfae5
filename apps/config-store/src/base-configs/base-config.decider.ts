import { BaseConfigsUploaded, BaseImageUpdated, DomainError, quoted, type BaseConfigEvent, type BaseDocument } from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';
import type { Misfit } from '../model/config-command';

export interface BaseConfigState {
  objects: Map<string, BaseDocument>;
}

export type BaseConfigCommand =
  | { kind: 'upload'; releaseVersion: string; documents: BaseDocument[]; by: string; now: string; labelsNamed?: string[]; misfit?: Misfit }
  /** `config`: the object's config with the image set (replaceImage), sealed as recorded; `container` the one set. */
  | { kind: 'update-image'; releaseVersion: string; objectName: string; container: string; config: string; image: string; comment: string; by: string; now: string };

/** The uploaded documents that differ from the release's copy (only those are recorded). */
export function changedDocuments(stored: ReadonlyMap<string, BaseDocument>, documents: BaseDocument[]): BaseDocument[] {
  return documents.filter((d) => {
    const old = stored.get(d.objectName);
    return !old || old.config !== d.config || old.kind !== d.kind || old.apiVersion !== d.apiVersion;
  });
}

/** The base configs of one release: uploads replace documents, image updates edit one. */
export const baseConfigDecider: Decider<BaseConfigState, BaseConfigCommand, BaseConfigEvent> = {
  initialState: () => ({ objects: new Map() }),
  snapshots: {
    name: 'base-configs', version: 1,
    encode: (state) => [...state.objects.values()],
    decode: (json) => ({ objects: new Map((json as BaseDocument[]).map((document) => [document.objectName, document])) }),
  },

  evolve(state, event) {
    const objects = new Map(state.objects);
    switch (event.type) {
      case BaseConfigsUploaded.type:
        for (const document of event.data.documents) objects.set(document.objectName, document);
        return { objects };
      case BaseImageUpdated.type: {
        const current = objects.get(event.data.objectName);
        if (current) objects.set(event.data.objectName, { ...current, config: event.data.config });
        return { objects };
      }
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'upload': {
        const [named] = command.labelsNamed ?? [];
        if (named !== undefined) {
          throw new DomainError('invalid', `object ${quoted(named)} has the name of a label bound to other objects: a patch targeting ${quoted(named)} would reach them too; unbind the label or name the object otherwise`, 'base_config');
        }
        if (command.misfit) {
          throw new DomainError('invalid', `stored patch ${command.misfit.patch} would reach an uploaded object it does not fit, and is checked as a new patch is: ${command.misfit.reason}`, 'base_config');
        }
        const changed = changedDocuments(state.objects, command.documents);
        if (changed.length === 0) return [];
        return [{ type: BaseConfigsUploaded.type, data: { releaseVersion: command.releaseVersion, documents: changed, uploadedBy: command.by, uploadedAt: command.now } }];
      }
      case 'update-image': {
        const current = state.objects.get(command.objectName);
        if (!current) throw new DomainError('not-found', `object ${quoted(command.objectName)} has no base config in release ${quoted(command.releaseVersion)}`, 'object');
        if (command.config === current.config) return [];
        return [{ type: BaseImageUpdated.type, data: {
          releaseVersion: command.releaseVersion, objectName: command.objectName, container: command.container, image: command.image, comment: command.comment,
          config: command.config, updatedBy: command.by, updatedAt: command.now,
        } }];
      }
    }
  },
};
