import { command } from '../define';
import { targetDefinition, targetKey, type TargetView } from './target';

export const CreateTarget = command<typeof targetDefinition, TargetView>('cmd.deployer.create-target.v1', targetDefinition);
/** PUT semantics: create when absent, otherwise update metadata (the spec is immutable). */
export const UpsertTarget = command<typeof targetDefinition, TargetView>('cmd.deployer.upsert-target.v1', targetDefinition);
export const DeleteTarget = command<typeof targetKey, TargetView>('cmd.deployer.delete-target.v1', targetKey);
