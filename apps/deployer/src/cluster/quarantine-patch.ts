export const QUARANTINED = 'slipway.io/quarantined';
export const QUARANTINED_LABELS = 'slipway.io/quarantined-labels';

const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The labels an earlier quarantine removed, as its annotation kept them (none if unreadable). */
function removedBefore(annotations: Record<string, string>): Record<string, string> {
  try {
    const kept: unknown = JSON.parse(annotations[QUARANTINED_LABELS] ?? '{}');
    if (typeof kept !== 'object' || kept === null || Array.isArray(kept)) return {};
    return Object.fromEntries(Object.entries(kept).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

/**
 * The merge patch that takes a pod out of the Services selecting it: each label a selecting
 * Service's selector uses is removed (null), the removed labels are kept in an annotation,
 * and the pod is marked quarantined. Quarantined again, the pod keeps what the first time
 * removed: the annotation is the only record of the labels to put back. With `uid`, the
 * pod judged: the API server relabels only that one (a pod deleted and created again under
 * its name meanwhile has another uid, which the patch may not change, so it is refused).
 */
export interface QuarantinePatch {
  metadata: { uid?: string; labels: Record<string, string | null>; annotations: Record<string, string> };
}

export function quarantinePatch(
  labels: Record<string, string>, selectors: Array<Record<string, string>>, annotations: Record<string, string> = {}, uid?: string,
): QuarantinePatch {
  return labelsRemovingPatch(labels, [...new Set(selectors.filter((s) => selects(s, labels)).flatMap((s) => Object.keys(s)))], annotations, uid);
}

/** The keys a quarantine patch takes off the pod. */
export const removedBy = (patch: QuarantinePatch): string[] => Object.keys(patch.metadata.labels).filter((key) => patch.metadata.labels[key] === null);

/**
 * The quarantine patch that takes the given label keys off the pod (those it still carries),
 * kept in the annotation as quarantinePatch keeps them: how a quarantine recorded before its
 * relabelling (with the keys it decided) is finished after a crash, whatever the Services
 * select by then.
 */
export function labelsRemovingPatch(labels: Record<string, string>, removing: string[], annotations: Record<string, string> = {}, uid?: string): QuarantinePatch {
  const keys = removing.filter((key) => key in labels).sort();
  // What the pod carries now is current: an earlier record of that key is stale.
  const earlier = Object.entries(removedBefore(annotations)).filter(([key]) => !(key in labels));
  const removed = { ...Object.fromEntries(earlier), ...Object.fromEntries(keys.map((key) => [key, labels[key]!])) };
  const sorted = Object.fromEntries(Object.entries(removed).sort(([a], [b]) => a.localeCompare(b)));
  return {
    metadata: {
      ...(uid === undefined ? {} : { uid }),
      labels: { ...Object.fromEntries(keys.map((key) => [key, null])), [QUARANTINED]: 'true' },
      annotations: { [QUARANTINED_LABELS]: JSON.stringify(sorted) },
    },
  };
}
