import { isBuiltinKind, podSpecPath, type TypeMeta } from '@slipway/materializer';

/**
 * The boolean fields of the built-in kinds Slipway checks, as dot-separated paths (`name[]`
 * is every element of the list `name`). Slipway reads YAML 1.2, where `yes`, `no`, `on` and
 * `off` are text; kubectl's YAML 1.1 reads them as booleans. Written so, a field such as
 * `hostNetwork: yes` was stored as the text "yes", and every push of it failed (the API server
 * wants a boolean): it is refused when the config is written instead.
 */
const container = [
  'stdin', 'stdinOnce', 'tty', 'volumeMounts[].readOnly',
  ...['privileged', 'readOnlyRootFilesystem', 'runAsNonRoot', 'allowPrivilegeEscalation'].map((name) => `securityContext.${name}`),
];
const podSpec = [
  'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'automountServiceAccountToken', 'enableServiceLinks', 'setHostnameAsFQDN', 'hostUsers',
  'securityContext.runAsNonRoot',
  ...['configMap.optional', 'secret.optional', 'persistentVolumeClaim.readOnly', 'csi.readOnly', 'nfs.readOnly'].map((path) => `volumes[].${path}`),
  ...container.map((path) => `containers[].${path}`), ...container.map((path) => `initContainers[].${path}`),
];
const jobSpec = ['suspend', 'manualSelector'];
const under = (prefix: string, paths: readonly string[]) => paths.map((path) => `${prefix}.${path}`);

/** The kinds' own boolean fields, beside their pod spec's (added by `booleanFieldsOf`). */
const ownFields: Record<string, readonly string[]> = {
  ConfigMap: ['immutable'],
  Secret: ['immutable'],
  ServiceAccount: ['automountServiceAccountToken'],
  Deployment: ['spec.paused'],
  Job: under('spec', jobSpec),
  CronJob: ['spec.suspend', ...under('spec.jobTemplate.spec', jobSpec)],
  Service: ['spec.publishNotReadyAddresses', 'spec.allocateLoadBalancerNodePorts'],
};

/** Every boolean field Slipway checks in an object of this kind; none for kinds that are not built in. */
export function booleanFieldsOf(meta: TypeMeta): readonly string[] {
  if (!isBuiltinKind(meta)) return [];
  const path = podSpecPath(meta);
  const own = Object.hasOwn(ownFields, meta.kind!) ? ownFields[meta.kind!]! : [];
  return path ? [...own, ...under(path.join('.'), podSpec)] : own;
}
