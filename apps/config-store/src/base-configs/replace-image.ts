import { DomainError, parseCheckedYaml, type BaseDocument } from '@slipway/contracts';
import { isJsonObject, podSpecPath, type JsonObject, type JsonValue, toYamlText } from '@slipway/materializer';

/** The pod spec's containers of a workload document, or undefined for other kinds. */
export function containersOf(object: JsonObject): JsonObject[] | undefined {
  const path = podSpecPath({ apiVersion: object.apiVersion as string, kind: object.kind as string });
  if (!path) return undefined;
  let spec: JsonValue | undefined = object;
  for (const key of path) spec = isJsonObject(spec) ? spec[key] : undefined;
  const containers = isJsonObject(spec) ? spec.containers : undefined;
  return Array.isArray(containers) ? containers.filter(isJsonObject) : [];
}

/** Sets one container's image (the first container when none is named). */
export function replaceImage(document: BaseDocument, containerName: string | undefined, image: string): { config: string; container: string } {
  const object = parseCheckedYaml(document.config) as JsonObject;
  const containers = containersOf(object);
  if (!containers) throw new DomainError('invalid', `object "${document.objectName}" is a ${document.kind}, which has no containers`, 'object');
  const container = containerName === undefined ? containers[0] : containers.find((c) => c.name === containerName);
  if (!container) {
    const names = containers.map((c) => String(c.name)).join(', ') || 'none';
    throw new DomainError('invalid', containerName === undefined
      ? `object "${document.objectName}" has no containers`
      : `object "${document.objectName}" has no container "${containerName}" (its containers: ${names})`, 'container');
  }
  container.image = image;
  return { config: toYamlText(object), container: String(container.name) };
}
