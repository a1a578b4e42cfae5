import { objectKey, type KubeObject } from './kube-object';

export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  /** After each (re)list: everything up to `resourceVersion` has been delivered. */
  | { type: 'SYNCED'; resourceVersion: string };

/**
 * The events that take a consumer from what it was told (`known`) to a fresh list: what a
 * relist after 410 Gone must deliver so that nothing that happened in between is lost.
 * Updates `known` in place to match the list.
 */
export function diffAgainstList<T extends KubeObject>(known: Map<string, T>, listed: T[]): WatchEvent<T>[] {
  const events: WatchEvent<T>[] = [];
  const seen = new Set<string>();
  for (const object of listed) {
    const key = objectKey(object);
    seen.add(key);
    const before = known.get(key);
    if (!before || before.metadata.uid !== object.metadata.uid) {
      if (before) events.push({ type: 'DELETED', object: before }); // same name, new object
      events.push({ type: 'ADDED', object });
    } else if (before.metadata.resourceVersion !== object.metadata.resourceVersion) {
      events.push({ type: 'MODIFIED', object });
    }
    known.set(key, object);
  }
  for (const [key, object] of known) {
    if (!seen.has(key)) {
      events.push({ type: 'DELETED', object });
      known.delete(key);
    }
  }
  return events;
}

/** Keeps `known` in step with one watch event. */
export function remember<T extends KubeObject>(known: Map<string, T>, event: WatchEvent<T>): void {
  if (event.type === 'SYNCED') return;
  if (event.type === 'DELETED') known.delete(objectKey(event.object));
  else known.set(objectKey(event.object), event.object);
}
