import { parseCheckedYaml, type MaterializedView } from '@slipway/contracts';
import { toYamlText } from '@slipway/materializer';

export type ClusterSize = 'standard' | 'large' | 'x-large';

interface Resources { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }
interface Preset { replicas?: number; resources: Resources }

const res = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string): Resources =>
  ({ requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } });

/**
 * The document's presets (standard 64 cores/256 GB, large 128/512, x-large 256/1024), per
 * workload kind: Deployments get replicas and per-container resources; StatefulSets only
 * resources (their replicas are data-bearing: scaling them is not a sizing decision).
 */
export const PRESETS: Readonly<Record<ClusterSize, { Deployment: Preset; StatefulSet: Preset }>> = {
  standard: { Deployment: { replicas: 2, resources: res('500m', '1Gi', '2', '4Gi') }, StatefulSet: { resources: res('1', '2Gi', '2', '8Gi') } },
  large: { Deployment: { replicas: 4, resources: res('1', '2Gi', '4', '8Gi') }, StatefulSet: { resources: res('2', '4Gi', '4', '16Gi') } },
  'x-large': { Deployment: { replicas: 8, resources: res('2', '4Gi', '8', '16Gi') }, StatefulSet: { resources: res('4', '8Gi', '8', '32Gi') } },
};

interface Workload { apiVersion?: string; kind?: string; spec?: { template?: { spec?: { containers?: unknown } } } }

/**
 * The names of the workload's named containers. The config-store keeps configs the API
 * server would refuse (containers as a map or a string, null entries): such an object is
 * named in the push's failed_to_apply, and here gets no preset rather than failing the resize.
 */
function containerNames(workload: Workload): string[] {
  const containers = workload.spec?.template?.spec?.containers;
  if (!Array.isArray(containers)) return [];
  return containers
    .map((c: unknown) => (c !== null && typeof c === 'object' ? (c as { name?: unknown }).name : undefined))
    .filter((n): n is string => typeof n === 'string' && n !== '');
}

/** An autoscaler's target, as `Kind/name`. */
export type ScaledRef = string;

interface ScalerConfig { kind?: string; spec?: { scaleTargetRef?: { kind?: unknown; name?: unknown } } }

/** The workloads a HorizontalPodAutoscaler scales, as `Kind/name`. */
export function scaledBy(autoscalers: readonly ScalerConfig[]): ScaledRef[] {
  return autoscalers.flatMap((hpa) => {
    const target = hpa.spec?.scaleTargetRef;
    return typeof target?.kind === 'string' && typeof target.name === 'string' ? [`${target.kind}/${target.name}`] : [];
  });
}

/**
 * The preset as patches in the config-store's YAML format, one per Deployment/StatefulSet
 * (strategic merge: containers merged by name, so every container is named), and the
 * objects they target. Objects that are no workload or have no named container are left out.
 * A workload an autoscaler scales (`scaled`: the live ones' and the paused ones' targets; and
 * those of the configs' autoscalers) gets the preset's resources, and its replicas removed
 * from its config (an earlier preset's, the base's): the autoscaler sets those, and a count
 * pushed would be set back by it after every push.
 */
export function presetPatches(size: ClusterSize, views: MaterializedView[], scaled: readonly ScaledRef[] = []): { text: string; objects: string[] } {
  const parsed = [...views].sort((a, b) => a.objectName.localeCompare(b.objectName)).flatMap((view) => {
    try {
      const config = parseCheckedYaml(view.config) as Workload & ScalerConfig & { metadata?: { name?: unknown } };
      return config && typeof config === 'object' ? [{ view, config }] : [];
    } catch {
      return [];
    }
  });
  const autoscaled = new Set([...scaled, ...scaledBy(parsed.map(({ config }) => config).filter((config) => config.kind === 'HorizontalPodAutoscaler'))]);
  const documents: string[] = [];
  const objects: string[] = [];
  for (const { view, config: workload } of parsed) {
    if (workload.kind !== 'Deployment' && workload.kind !== 'StatefulSet') continue;
    const preset = PRESETS[size][workload.kind];
    const names = containerNames(workload);
    if (names.length === 0) continue;
    // An autoscaled one's replicas are removed (null, in a strategic merge), an earlier preset's too.
    const replicas = preset.replicas === undefined ? {} : { replicas: autoscaled.has(`${workload.kind}/${String(workload.metadata?.name)}`) ? null : preset.replicas };
    const body = {
      apiVersion: workload.apiVersion ?? 'apps/v1', kind: workload.kind,
      spec: { ...replicas, template: { spec: { containers: names.map((name) => ({ name, resources: preset.resources })) } } },
    };
    documents.push(`# target: ${view.objectName}\n${toYamlText(body)}`);
    objects.push(view.objectName);
  }
  return { text: documents.join('---\n'), objects };
}
