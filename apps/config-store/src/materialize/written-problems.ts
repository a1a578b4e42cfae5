import { isJsonObject, podSpecPath, type JsonValue, type TypeMeta } from '@slipway/materializer';
import { booleanProblems } from './check-booleans';
import { idProblems } from './check-integers';
import { podSpecTypeProblems } from './container-shape';
import { keyProblems } from './key-rules';

/**
 * What the API server would refuse that is judged only when a config is written (a base config
 * uploaded, a patch being applied): label and annotation keys it refuses, booleans or user and
 * group ids held as text, and pod spec fields of another type (a node selector's numbers). A
 * stored patch that holds one materializes as it did when it was stored (skipped, it would
 * take with it whatever else it changes, an image say).
 */
export const writtenProblems = (meta: TypeMeta, object: JsonValue): string[] =>
  [...keyProblems(meta, object), ...booleanProblems(meta, object), ...idProblems(meta, object), ...podSpecFieldProblems(meta, object)];

/** The type problems of a workload's pod spec fields (podSpecTypeProblems), found where its kind keeps it. */
function podSpecFieldProblems(meta: TypeMeta, object: JsonValue): string[] {
  const path = podSpecPath(meta);
  let at: JsonValue | undefined = object;
  for (const segment of path ?? []) at = isJsonObject(at) && Object.hasOwn(at, segment) ? at[segment] : undefined;
  return path && isJsonObject(at) ? podSpecTypeProblems(at, path.join('.')) : [];
}
