import { isClusterScoped, isJsonObject, podSpecPath, type JsonObject, type JsonValue, type TypeMeta } from '@slipway/materializer';

export function rewriteNamespace(object: JsonObject, namespace: string): JsonObject {
  if (isClusterScoped(object as TypeMeta)) return object;
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  return { ...object, metadata: { ...metadata, namespace } };
}

/** `registry/name:tag`, keeping only the image's last path segment: gcr.io/a/b/web:1 → <registry>/web:1. */
export function rebaseImage(image: string, registry: string): string {
  const last = image.slice(image.lastIndexOf('/') + 1);
  return `${registry.replace(/\/+$/, '')}/${last}`;
}

/** Sets the registry of every container and init container image of a workload. */
export function rewriteRegistry(object: JsonObject, registry: string): JsonObject {
  const path = podSpecPath({ apiVersion: object.apiVersion as string, kind: object.kind as string });
  if (!path) return object;
  const copy = structuredClone(object);
  let spec: JsonValue | undefined = copy;
  for (const key of path) spec = isJsonObject(spec) ? spec[key] : undefined;
  if (!isJsonObject(spec)) return object;
  for (const list of ['containers', 'initContainers']) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      if (isJsonObject(container) && typeof container.image === 'string') container.image = rebaseImage(container.image, registry);
    }
  }
  return copy;
}
