/**
 * How a diff row names the field it is about: the notation of server-side apply's field
 * paths (as in its conflict messages, `.spec.template.spec.containers[name="web"].image`),
 * without the leading dot, so a row reads as what `kubectl apply --server-side` would say.
 *
 *   spec.replicas                          a field of an object
 *   containers[name="web"]                 the element of a keyed list whose merge key has this value
 *   ports[containerPort=80,protocol="TCP"] several merge keys, in the order Kubernetes declares them
 *   finalizers[="example.com/cleanup"]     the element of a set (a list of scalars merged as a set)
 *   args[0]                                a position in an atomic list (no merge key)
 *
 * Values inside brackets are JSON: strings quoted, numbers and booleans bare. Map keys that
 * contain dots (`metadata.labels.app.kubernetes.io/name`) stay as they are, as in SSA.
 */
export function fieldKey(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

/** The keys the applied element sets, e.g. `[name="web"]`; a defaulted key it leaves out is not named. */
export function keyedKey(parent: string, element: Record<string, unknown>, keys: readonly string[]): string {
  const named = keys.filter((key) => Object.hasOwn(element, key) && element[key] !== null && element[key] !== undefined);
  return `${parent}[${named.map((key) => `${key}=${JSON.stringify(element[key])}`).join(',')}]`;
}

export function setKey(parent: string, value: unknown): string {
  return `${parent}[=${JSON.stringify(value)}]`;
}

export function indexKey(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
