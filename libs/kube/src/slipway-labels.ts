import type { KubeObject } from './kube-object';

/** Whose object this is, in Slipway's terms; every object Slipway creates carries it (`managed-by` where its config names none). */
export interface SlipwayOwner {
  namespace: string;
  deploymentId: string;
  deploymentName: string;
  revision: string | number;
  rolloutId: string;
}

export const MANAGED_BY = 'app.kubernetes.io/managed-by';

const MAX_LABEL_VALUE = 63;

/**
 * Any string as a valid label value: at most 63 characters of [a-z0-9A-Z-_.], starting and
 * ending alphanumeric. Lowercased so "My App" and "my app" select alike; every run of
 * other characters becomes one '-'.
 */
export function toLabelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .slice(0, MAX_LABEL_VALUE)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}

export function slipwayLabels(owner: SlipwayOwner): Record<string, string> {
  return {
    [MANAGED_BY]: 'slipway',
    'slipway.io/namespace': toLabelValue(owner.namespace),
    'slipway.io/deployment-id': toLabelValue(owner.deploymentId),
    'slipway.io/deployment-name': toLabelValue(owner.deploymentName),
    [REVISION]: toLabelValue(String(owner.revision)),
    [ROLLOUT_ID]: toLabelValue(owner.rolloutId),
  };
}

const WITH_POD_TEMPLATE = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

interface TemplateSpec {
  template?: { metadata?: { labels?: Record<string, string> } };
  jobTemplate?: { spec?: TemplateSpec };
}

function labelTemplate(spec: TemplateSpec | undefined, labels: Record<string, string>): TemplateSpec | undefined {
  if (!spec?.template) return spec;
  const metadata = spec.template.metadata ?? {};
  return { ...spec, template: { ...spec.template, metadata: { ...metadata, labels: withOurs(metadata.labels, labels) } } };
}

/**
 * A config's labels with Slipway's over them, but for an `app.kubernetes.io/managed-by` the
 * config gives: that one is kept, as kubectl and Helm keep labels as written. A selector may
 * name it (kustomize and Helm charts write it): overwritten, the pods left their Service's
 * endpoints, or a Deployment's selector no longer matched its template (probe).
 */
function withOurs(configLabels: Record<string, string> | undefined, labels: Record<string, string>): Record<string, string> {
  if (configLabels?.[MANAGED_BY] === undefined) return { ...configLabels, ...labels };
  const { [MANAGED_BY]: _ours, ...rest } = labels;
  return { ...configLabels, ...rest };
}

/**
 * A copy of `object` with Slipway's labels on it and, for workloads, on its pod template
 * (CronJob: on the job template's pod template), so pods can be traced to a rollout.
 * Selectors are left alone: a changing revision label in a selector would orphan pods.
 * `pods` gives the pod template other revision labels than the object's (the deployer keeps
 * the ones a pod template was last applied with while it is unchanged).
 */
export function withSlipwayLabels<T extends KubeObject>(object: T, owner: SlipwayOwner, pods?: PodRevision): T {
  const labels = slipwayLabels(owner);
  const labelled: T = { ...object, metadata: { ...object.metadata, labels: withOurs(object.metadata.labels, labels) } };
  const podLabels = pods ? { ...labels, [REVISION]: pods.revision, [ROLLOUT_ID]: pods.rolloutId } : labels;
  const spec = object.spec as TemplateSpec | undefined;
  if (WITH_POD_TEMPLATE.has(object.kind)) return { ...labelled, spec: labelTemplate(spec, podLabels) };
  if (object.kind === 'CronJob' && spec?.jobTemplate) {
    return { ...labelled, spec: { ...spec, jobTemplate: { ...spec.jobTemplate, spec: labelTemplate(spec.jobTemplate.spec, podLabels) } } };
  }
  return labelled;
}

export const REVISION = 'slipway.io/revision';
export const ROLLOUT_ID = 'slipway.io/rollout-id';

/** The revision labels a pod template carries (label values). */
export interface PodRevision {
  revision: string;
  rolloutId: string;
}

/** The pod template of a workload (CronJob: its job template's), if it has one. */
export function podTemplateOf(object: { kind?: unknown; spec?: unknown }): { metadata?: { labels?: Record<string, string> } } | undefined {
  const spec = object.spec as TemplateSpec | undefined;
  if (typeof object.kind === 'string' && WITH_POD_TEMPLATE.has(object.kind)) return spec?.template;
  return object.kind === 'CronJob' ? spec?.jobTemplate?.spec?.template : undefined;
}
