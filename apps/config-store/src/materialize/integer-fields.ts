import { isBuiltinKind, podSpecPath, type TypeMeta } from '@slipway/materializer';

/**
 * What an integer field of a built-in kind accepts. The API server stores these as Go
 * int32/int64: a value out of range wraps or is refused at push time (4294967296 replicas
 * became 0), a fraction or a string fails every later push. `orString`: an IntOrString.
 */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
  readonly orString?: true;
}

const INT32 = 2 ** 31 - 1;
/** int64 fields are bounded by what a JSON number holds exactly: a larger one would be silently rounded. */
const int64: IntegerRange = { min: 0, max: Number.MAX_SAFE_INTEGER };
const int32: IntegerRange = { min: 0, max: INT32 };
const port: IntegerRange = { min: 1, max: 65_535 };
/** hostPort, nodePort: 0 means "none". */
const optionalPort: IntegerRange = { min: 0, max: 65_535 };
const intOrString: IntegerRange = { ...int32, orString: true };
const portOrName: IntegerRange = { ...port, orString: true };

/** Field paths, dot-separated; `name[]` is every element of the list `name`. */
type Fields = ReadonlyArray<readonly [path: string, range: IntegerRange]>;

const under = (prefix: string, fields: Fields): Fields => fields.map(([path, range]) => [`${prefix}.${path}`, range]);

const probe: Fields = [
  ...['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'].map((f) => [f, int32] as const),
  ['terminationGracePeriodSeconds', int64], ['httpGet.port', portOrName], ['tcpSocket.port', portOrName], ['grpc.port', port],
];
const container: Fields = [
  ['ports[].containerPort', port], ['ports[].hostPort', optionalPort],
  ...under('livenessProbe', probe), ...under('readinessProbe', probe), ...under('startupProbe', probe),
];
const podSpec: Fields = [
  ['terminationGracePeriodSeconds', int64], ['activeDeadlineSeconds', int64],
  ...under('containers[]', container), ...under('initContainers[]', container),
];
const jobSpec: Fields = [
  ...['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'].map((f) => [f, int32] as const),
  ['activeDeadlineSeconds', int64],
];
const rolling = (prefix: string): Fields => [[`${prefix}.maxSurge`, intOrString], [`${prefix}.maxUnavailable`, intOrString]];

/** The kinds' own fields, beside their pod spec (added by `integerFieldsOf`). */
const ownFields: Record<string, Fields> = {
  Deployment: under('spec', [['replicas', int32], ['minReadySeconds', int32], ['revisionHistoryLimit', int32], ['progressDeadlineSeconds', int32], ...rolling('strategy.rollingUpdate')]),
  StatefulSet: under('spec', [['replicas', int32], ['minReadySeconds', int32], ['revisionHistoryLimit', int32], ['ordinals.start', int32],
    ['updateStrategy.rollingUpdate.partition', int32], ['updateStrategy.rollingUpdate.maxUnavailable', intOrString]]),
  DaemonSet: under('spec', [['minReadySeconds', int32], ['revisionHistoryLimit', int32], ...rolling('updateStrategy.rollingUpdate')]),
  ReplicaSet: under('spec', [['replicas', int32], ['minReadySeconds', int32]]),
  ReplicationController: under('spec', [['replicas', int32], ['minReadySeconds', int32]]),
  Job: under('spec', jobSpec),
  CronJob: [...under('spec', [['startingDeadlineSeconds', int64], ['successfulJobsHistoryLimit', int32], ['failedJobsHistoryLimit', int32]]),
    ...under('spec.jobTemplate.spec', jobSpec)],
  Service: under('spec.ports[]', [['port', port], ['targetPort', portOrName], ['nodePort', optionalPort]]),
  HorizontalPodAutoscaler: under('spec', [['minReplicas', int32], ['maxReplicas', int32], ['targetCPUUtilizationPercentage', int32]]),
  PodDisruptionBudget: under('spec', [['minAvailable', intOrString], ['maxUnavailable', intOrString]]),
};

/** Every integer field Slipway checks in an object of this kind; none for kinds that are not built in. */
export function integerFieldsOf(meta: TypeMeta): Fields {
  if (!isBuiltinKind(meta)) return [];
  const path = podSpecPath(meta);
  const own = Object.hasOwn(ownFields, meta.kind!) ? ownFields[meta.kind!]! : [];
  return path ? [...own, ...under(path.join('.'), podSpec)] : own;
}

/**
 * User and group ids (int64) of the pod's and its containers' security contexts: a string
 * such as "1000", which kubectl's YAML reads as text too, fails every push. Checked on configs
 * being written only (written-problems.ts), as they were not before 2026-12-07.
 */
const ids = (names: readonly string[]): Fields => names.map((name) => [`securityContext.${name}`, int64] as const);
const containerIds = ids(['runAsUser', 'runAsGroup']);
const podIds: Fields = [...ids(['runAsUser', 'runAsGroup', 'fsGroup']), ...under('containers[]', containerIds), ...under('initContainers[]', containerIds)];

/** The id fields of an object of this kind (its pod spec's); none for kinds without one. */
export function idFieldsOf(meta: TypeMeta): Fields {
  const path = podSpecPath(meta);
  return path ? under(path.join('.'), podIds) : [];
}
