import { z } from 'zod';
import { command } from '../define';
import { targetDefinition, targetKey, type TargetView } from './target';

/**
 * A PUT's definition, and the version the sender read (a document's resourceVersion sent
 * back): the update is made only if the target is still at it, as Kubernetes makes it.
 */
export const upsertDefinition = targetDefinition.extend({ expectedVersion: z.number().int().positive().optional() }).strict();

/** An upsert's result: the target, and whether this command made it. */
export type UpsertedTarget = TargetView & { created: boolean };

export const CreateTarget = command<typeof targetDefinition, TargetView>('cmd.deployer.create-target.v1', targetDefinition);
/** PUT semantics: create when absent, otherwise update metadata (the spec is immutable). */
export const UpsertTarget = command<typeof upsertDefinition, UpsertedTarget>('cmd.deployer.upsert-target.v1', upsertDefinition);
export const DeleteTarget = command<typeof targetKey, TargetView>('cmd.deployer.delete-target.v1', targetKey);
