import { isJsonObject, type JsonValue } from '@slipway/materializer';

/**
 * The types of a container's fields that the API server's typed apply checks first: a value
 * of another type (`image: 5`, `value: {inner: x}`, `resources: big`) is refused by every
 * push with "failed to create typed patch object", so it is refused when written. Values
 * (a protocol's name, a quantity's syntax) stay the API server's to judge.
 */
type Shape = 'string' | 'mapping' | 'strings-map' | 'quantities' | readonly [Shape] | { readonly [field: string]: Shape };

const strings = ['string'] as const;
const CONTAINER: Shape = {
  name: 'string', image: 'string', imagePullPolicy: 'string', workingDir: 'string', terminationMessagePath: 'string', terminationMessagePolicy: 'string',
  command: strings, args: strings,
  env: [{ name: 'string', value: 'string', valueFrom: 'mapping' }],
  envFrom: [{ prefix: 'string', configMapRef: 'mapping', secretRef: 'mapping' }],
  ports: [{ name: 'string', protocol: 'string', hostIP: 'string' }],
  volumeMounts: [{ name: 'string', mountPath: 'string', subPath: 'string', subPathExpr: 'string', mountPropagation: 'string' }],
  resources: { requests: 'quantities', limits: 'quantities' },
  securityContext: 'mapping', livenessProbe: 'mapping', readinessProbe: 'mapping', startupProbe: 'mapping', lifecycle: 'mapping',
};

/**
 * The types of the pod spec's own fields, beside its containers: judged on configs being
 * written only (written-problems.ts), as they were not before 2026-12-07 (a stored patch
 * holding one materializes as it did). `nodeSelector: {disk: 1}`, `tolerations` as a mapping,
 * `volumes: none` each failed every push.
 */
const POD_SPEC: Shape = {
  nodeSelector: 'strings-map',
  ...Object.fromEntries(['serviceAccountName', 'serviceAccount', 'schedulerName', 'priorityClassName', 'hostname', 'subdomain', 'restartPolicy', 'dnsPolicy', 'nodeName', 'runtimeClassName']
    .map((field) => [field, 'string'] as const)),
  volumes: [{ name: 'string' }],
  tolerations: [{ key: 'string', operator: 'string', value: 'string', effect: 'string' }],
  imagePullSecrets: [{ name: 'string' }],
  hostAliases: [{ ip: 'string', hostnames: strings }],
  topologySpreadConstraints: ['mapping'], readinessGates: ['mapping'],
  affinity: 'mapping', securityContext: 'mapping', dnsConfig: 'mapping',
};

/** What a value is, never what it holds: it may be a secret. */
const described = (value: JsonValue): string => Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;

/** The type problems of the containers of a pod spec, `at` naming it (`spec.template.spec`). */
export function containerTypeProblems(podSpec: Record<string, JsonValue>, at: string): string[] {
  const problems: string[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const containers = podSpec[list];
    if (Array.isArray(containers)) containers.forEach((container, i) => check(container, CONTAINER, `${at}.${list}[${i}]`, problems));
  }
  return problems;
}

/** The type problems of a pod spec's own fields (POD_SPEC), `at` naming it. */
export function podSpecTypeProblems(podSpec: Record<string, JsonValue>, at: string): string[] {
  const problems: string[] = [];
  check(podSpec, POD_SPEC, at, problems);
  return problems;
}

function check(value: JsonValue, shape: Shape, path: string, problems: string[]): void {
  // null is the field left unset, as the API server reads it.
  if (value === null) return;
  if (shape === 'string') {
    if (typeof value !== 'string') problems.push(`${path} must be a string, got ${described(value)}`);
  } else if (shape === 'mapping') {
    if (!isJsonObject(value)) problems.push(`${path} must be a mapping, got ${described(value)}`);
  } else if (shape === 'strings-map') {
    if (!isJsonObject(value)) problems.push(`${path} must be a mapping of strings, got ${described(value)}`);
    else for (const [name, text] of Object.entries(value)) {
      if (text !== null && typeof text !== 'string') problems.push(`${path}.${name} must be a string, got ${described(text)}`);
    }
  } else if (shape === 'quantities') {
    if (!isJsonObject(value)) problems.push(`${path} must be a mapping of quantities, got ${described(value)}`);
    else for (const [name, quantity] of Object.entries(value)) {
      if (quantity !== null && typeof quantity !== 'string' && typeof quantity !== 'number') problems.push(`${path}.${name} must be a quantity (a string or a number), got ${described(quantity)}`);
    }
  } else if (Array.isArray(shape)) {
    if (!Array.isArray(value)) problems.push(`${path} must be a list, got ${described(value)}`);
    else value.forEach((item, i) => check(item, shape[0], `${path}[${i}]`, problems));
  } else if (!isJsonObject(value)) {
    problems.push(`${path} must be a mapping, got ${described(value)}`);
  } else {
    for (const [field, inner] of Object.entries(shape as Record<string, Shape>)) {
      if (Object.hasOwn(value, field)) check(value[field]!, inner, `${path}.${field}`, problems);
    }
  }
}
