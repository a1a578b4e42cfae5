/**
 * The name rules the Kubernetes API server applies to the built-in kinds a base config
 * most often holds, so that an upload naming an object the cluster would refuse is refused
 * itself (400 naming it) instead of failing later, at every push. Kinds not listed (custom
 * resources, RBAC objects, whose names are freer) are left to the API server.
 */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

interface NameRule { test(name: string): boolean; says: string }

const subdomain = (max = 253): NameRule => ({
  test: (name) => name.length <= max && SUBDOMAIN.test(name),
  says: `a DNS-1123 subdomain: at most ${max} characters, lowercase letters, digits, "-" and ".", starting and ending with a letter or digit`,
});
const label: NameRule = {
  test: (name) => name.length <= 63 && LABEL.test(name),
  says: 'a DNS-1123 label: at most 63 characters, lowercase letters, digits and "-", starting and ending with a letter or digit',
};
const label1035: NameRule = {
  test: (name) => name.length <= 63 && LABEL_1035.test(name),
  says: 'a DNS-1035 label: at most 63 characters, lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
};

const RULES: Record<string, NameRule> = {
  Namespace: label,
  Service: label1035,
  // The CronJob controller appends 11 characters to the names of the Jobs it creates.
  CronJob: subdomain(52),
  ...Object.fromEntries([
    'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod', 'ConfigMap', 'Secret', 'ServiceAccount',
    'PersistentVolumeClaim', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy',
  ].map((kind) => [kind, subdomain()])),
};

/** Built-in API groups: the core group ("v1"), unqualified ones ("apps") and *.k8s.io. */
function isBuiltIn(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** Why the API server would refuse `name` for this kind, or undefined when it would not (or we cannot tell). */
export function kubernetesNameRefusal(apiVersion: string, kind: string, name: string): string | undefined {
  const rule = isBuiltIn(apiVersion) ? RULES[kind] : undefined;
  return rule && !rule.test(name) ? `is not a valid ${kind} name: Kubernetes requires ${rule.says}` : undefined;
}
