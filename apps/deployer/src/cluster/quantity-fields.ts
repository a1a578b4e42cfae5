import { MILLI, NANO } from './quantity';

/** What the applied object is, as far as finding its quantity fields goes. */
export interface ObjectType {
  readonly apiVersion?: string;
  readonly kind?: string;
}

/**
 * Whether a field of a built-in kind holds a `resource.Quantity`, which the API server
 * stores in canonical form (`1000m` is read back as `1`), and to which scale it rounds the
 * value up: `MILLI` for ResourceList entries (the core/v1 defaults round them), `NANO` for
 * other Quantity fields. `undefined`: no quantity, compare the value as it is.
 *
 * `fields` are the names of the object fields from the root to the value; list positions
 * and keys are left out (`spec.template.spec.containers[name="web"].resources.limits.cpu`
 * is `spec, template, spec, containers, resources, limits, cpu`). Custom resources are
 * stored as sent, so their fields are never quantities here.
 */
export function quantityScale(type: ObjectType, fields: readonly string[]): number | undefined {
  if (!isBuiltInGroup(type.apiVersion)) return undefined;
  const [grandparent, parent, name] = [fields.at(-3), fields.at(-2), fields.at(-1)];
  // ResourceRequirements (containers, pod-level resources, PersistentVolumeClaimSpec,
  // volumeClaimTemplates, ephemeral volumes): every entry of requests and limits, so cpu,
  // memory, ephemeral-storage, storage, hugepages-<size> and extended resources alike.
  if (grandparent === 'resources' && (parent === 'requests' || parent === 'limits')) return MILLI;
  if (parent === 'overhead' && fields.length > 2) return MILLI; // PodSpec.overhead
  if (parent === 'emptyDir' && name === 'sizeLimit') return NANO;
  if (parent === 'resourceFieldRef' && name === 'divisor') return NANO;
  return kindQuantityScale(type.kind, fields);
}

const LIMIT_RANGE_LISTS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'];

/** ResourceList and Quantity fields that only one kind has, at their place in that kind. */
function kindQuantityScale(kind: string | undefined, fields: readonly string[]): number | undefined {
  const [first, second, third, fourth, fifth] = fields;
  switch (kind) {
    case 'ResourceQuota':
      return fields.length === 3 && first === 'spec' && second === 'hard' ? MILLI : undefined;
    case 'LimitRange':
      return fields.length === 4 && first === 'spec' && second === 'limits' && LIMIT_RANGE_LISTS.includes(third) ? MILLI : undefined;
    case 'PersistentVolume':
      return fields.length === 3 && first === 'spec' && second === 'capacity' ? MILLI : undefined;
    case 'RuntimeClass':
      // node.k8s.io has no defaults that round a ResourceList: `0.0000000015` reads back `2n`.
      return fields.length === 3 && first === 'overhead' && second === 'podFixed' ? NANO : undefined;
    case 'CSIStorageCapacity':
      return fields.length === 1 && (first === 'capacity' || first === 'maximumVolumeSize') ? NANO : undefined;
    case 'HorizontalPodAutoscaler':
      // autoscaling/v2 MetricTarget: spec.metrics[].<source>.target.value or .averageValue.
      return fields.length === 5 && first === 'spec' && second === 'metrics' && fourth === 'target'
        && (fifth === 'value' || fifth === 'averageValue') ? NANO : undefined;
    default:
      return undefined;
  }
}

/**
 * Kubernetes' own API groups: the core group, groups without a dot (apps, batch, policy,
 * autoscaling) and `*.k8s.io`. A custom resource's group always has a dot, and `*.k8s.io`
 * is reserved to the Kubernetes project.
 */
export function isBuiltInGroup(apiVersion: string | undefined): boolean {
  if (apiVersion === undefined) return false;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return !group.includes('.') || group.endsWith('.k8s.io');
}
