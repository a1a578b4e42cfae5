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

/**
 * The preset as patches in the config-store's YAML format, one per Deployment/StatefulSet
 * (strategic merge: containers merged by name, so every container is named), and the
 * objects they target. Objects that are no workload or have no named container are left out.
 */
export function presetPatches(size: ClusterSize, views: MaterializedView[]): { text: string; objects: string[] } {
  const documents: string[] = [];
  const objects: string[] = [];
  for (const view of [...views].sort((a, b) => a.objectName.localeCompare(b.objectName))) {
    let workload: Workload;
    try {
      workload = parseCheckedYaml(view.config) as Workload;
    } catch {
      continue;
    }
    if (!workload || typeof workload !== 'object' || (workload.kind !== 'Deployment' && workload.kind !== 'StatefulSet')) continue;
    const preset = PRESETS[size][workload.kind];
    const names = containerNames(workload);
    if (names.length === 0) continue;
    const body = {
      apiVersion: workload.apiVersion ?? 'apps/v1', kind: workload.kind,
      spec: {
        ...(preset.replicas !== undefined ? { replicas: preset.replicas } : {}),
        template: { spec: { containers: names.map((name) => ({ name, resources: preset.resources })) } },
      },
    };
    documents.push(`# target: ${view.objectName}\n${toYamlText(body)}`);
    objects.push(view.objectName);
  }
  return { text: documents.join('---\n'), objects };
}
