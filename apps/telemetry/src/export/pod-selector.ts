import { toLabelValue, type KubeObject } from '@slipway/kube';

interface LabelSelectorRequirement { key: string; operator: string; values?: string[] }
interface LabelSelector { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] }

/** How to list a service's pods: a label selector, the pod itself, or why it has none. */
export type PodSelection =
  | { by: 'labels'; labelSelector: string }
  | { by: 'name'; fieldSelector: string }
  | { by: 'none'; reason: string };

/** The label the deployer puts on what it applies, pod templates included: the config store's object name (withSlipwayLabels). */
const DEPLOYMENT_NAME = 'slipway.io/deployment-name';
/** Kinds whose pod template the deployer labels (withSlipwayLabels); a CronJob's is in its job template. */
const LABELLED_TEMPLATES = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

function requirement({ key, operator, values = [] }: LabelSelectorRequirement): string {
  switch (operator) {
    case 'In': return `${key} in (${values.join(',')})`;
    case 'NotIn': return `${key} notin (${values.join(',')})`;
    case 'Exists': return key;
    case 'DoesNotExist': return `!${key}`;
    default: throw new Error(`unknown label selector operator "${operator}"`);
  }
}

/** A LabelSelector (matchLabels and matchExpressions) in the API's query syntax. */
export function labelSelectorQuery(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  return [...labels, ...(selector.matchExpressions ?? []).map(requirement)].join(',');
}

const isLabelSelector = (s: object): s is LabelSelector => 'matchLabels' in s || 'matchExpressions' in s;

/** Whether a selector asks for some label value, rather than only excluding (NotIn, DoesNotExist) or asking for a key (Exists). */
const namesAValue = (selector: LabelSelector) =>
  Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).some((r) => r.operator === 'In');

/**
 * Which pods belong to the service `name` (the config store's object name) whose live
 * object is `object`: the pod itself for a Pod; for a workload, those its own selector
 * selects that also carry the deployer's label for this service on their pod template — a
 * selector such as `tier notin (db)` alone would take in every other service's pods; for a
 * CronJob, whose jobs get selectors of their own, the deployer's labels only. Objects
 * whose pods carry no label of ours (a Service, a ReplicationController, custom kinds) keep
 * their selector when it names a label value, and select none otherwise, nor with an
 * empty selector (which would match every pod in the namespace).
 *
 * Throws when the selector cannot be read (an operator Kubernetes has not got).
 */
export function podSelectionOf(object: KubeObject, name: string, namespace: string): PodSelection {
  if (object.kind === 'Pod') return { by: 'name', fieldSelector: `metadata.name=${object.metadata.name}` };
  const ours = { [DEPLOYMENT_NAME]: toLabelValue(name) };
  if (object.kind === 'CronJob') {
    // Not by `managed-by`: a config may give its own, which Slipway keeps (slipway-labels.ts).
    return { by: 'labels', labelSelector: labelSelectorQuery({ matchLabels: { 'slipway.io/namespace': toLabelValue(namespace), ...ours } }) };
  }
  const raw = (object.spec as { selector?: unknown } | undefined)?.selector;
  if (!raw || typeof raw !== 'object') return { by: 'none', reason: `a ${object.kind} has no pod selector` };
  const selector: LabelSelector = isLabelSelector(raw) ? raw : { matchLabels: raw as Record<string, string> };
  const query = labelSelectorQuery(selector);
  if (!query) return { by: 'none', reason: `the ${object.kind}'s selector is empty` };
  if (LABELLED_TEMPLATES.has(object.kind)) return { by: 'labels', labelSelector: `${query},${labelSelectorQuery({ matchLabels: ours })}` };
  return namesAValue(selector)
    ? { by: 'labels', labelSelector: query }
    : { by: 'none', reason: `the ${object.kind}'s selector names no label value, so it would take in other services' pods` };
}
