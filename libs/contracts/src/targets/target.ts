import { z } from 'zod';
import { annotationMap, boundedLabelMap, dnsLabel, resourceName } from '../names';

export const targetKey = z.object({ namespace: resourceName, name: resourceName }).strict();

export const targetDefinition = targetKey.extend({
  labels: boundedLabelMap.default({}),
  annotations: annotationMap.default({}),
  /** Kubernetes namespace; null means "the namespace Slipway runs in". */
  kubernetesNamespace: dnsLabel.nullable().default(null),
}).strict();

export type TargetKey = z.infer<typeof targetKey>;
export type TargetDefinition = z.infer<typeof targetDefinition>;

/** The read model every dialect renders a deployment target from. */
export interface TargetView extends TargetDefinition {
  id: string;
  createdAt: string;
  modifiedAt: string;
  /** Bumped on every change; the stream version of the target. */
  resourceVersion: number;
}

export const targetStreamId = (key: TargetKey): string => `target-${key.namespace}/${key.name}`;
