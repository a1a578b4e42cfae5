export const QUARANTINED = 'slipway.io/quarantined';
export const QUARANTINED_LABELS = 'slipway.io/quarantined-labels';

const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/**
 * The merge patch that takes a pod out of the Services selecting it: each label a selecting
 * Service's selector uses is removed (null), the removed labels are kept in an annotation,
 * and the pod is marked quarantined.
 */
export function quarantinePatch(labels: Record<string, string>, selectors: Array<Record<string, string>>) {
  const keys = [...new Set(selectors.filter((s) => selects(s, labels)).flatMap((s) => Object.keys(s)))].sort();
  const removed = Object.fromEntries(keys.map((key) => [key, labels[key]!]));
  return {
    metadata: {
      labels: { ...Object.fromEntries(keys.map((key) => [key, null])), [QUARANTINED]: 'true' },
      annotations: { [QUARANTINED_LABELS]: JSON.stringify(removed) },
    },
  };
}
