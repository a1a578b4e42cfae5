import type { JsonValue, TypeMeta } from '@slipway/materializer';
import { booleanProblems } from './check-booleans';
import { idProblems } from './check-integers';
import { keyProblems } from './key-rules';

/**
 * What the API server would refuse that is judged only when a config is written (a base config
 * uploaded, a patch being applied): label and annotation keys it refuses, and booleans or user
 * and group ids held as text. A stored patch that holds one materializes as it did when it was
 * stored (skipped, it would take with it whatever else it changes, an image say).
 */
export const writtenProblems = (meta: TypeMeta, object: JsonValue): string[] => [...keyProblems(meta, object), ...booleanProblems(meta, object), ...idProblems(meta, object)];
