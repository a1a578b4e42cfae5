import { MANAGED_BY, toLabelValue, type KubeObject } from '@slipway/kube';

interface LabelSelectorRequirement { key: string; operator: string; values?: string[] }
interface LabelSelector { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] }

/** How to list a service's pods: a label selector, the pod itself, or why it has none. */
export type PodSelection =
  | { by: 'labels'; labelSelector: string }
  | { by: 'name'; fieldSelector: string }
  | { by: 'none'; reason: string };

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

/**
 * Which pods belong to a live object: its own selector where it has one (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job: a LabelSelector; Service, ReplicationController:
 * a plain map), the pod itself for a Pod, and for a CronJob — whose jobs get selectors of
 * their own — the Slipway labels the deployer puts on its pod template. An empty selector
 * would match every pod in the namespace, so it selects none.
 */
export function podSelectionOf(object: KubeObject, namespace: string): PodSelection {
  if (object.kind === 'Pod') return { by: 'name', fieldSelector: `metadata.name=${object.metadata.name}` };
  if (object.kind === 'CronJob') {
    const labels = { [MANAGED_BY]: 'slipway', 'slipway.io/namespace': toLabelValue(namespace), 'slipway.io/deployment-name': toLabelValue(object.metadata.name) };
    return { by: 'labels', labelSelector: labelSelectorQuery({ matchLabels: labels }) };
  }
  const selector = (object.spec as { selector?: unknown } | undefined)?.selector;
  if (!selector || typeof selector !== 'object') return { by: 'none', reason: `a ${object.kind} has no pod selector` };
  const query = isLabelSelector(selector) ? labelSelectorQuery(selector) : labelSelectorQuery({ matchLabels: selector as Record<string, string> });
  return query ? { by: 'labels', labelSelector: query } : { by: 'none', reason: `the ${object.kind}'s selector is empty` };
}
