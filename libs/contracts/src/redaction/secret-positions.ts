import { isSecretFlag, isSecretSetting, startsFlag } from './secret-names';

/**
 * Which values of a map are secret, by the map's keys and its own fields. One set of rules
 * for parsed objects (redact-value.ts) and for YAML/JSON text (redact-text.ts), so that a
 * secret is hidden the same way whether an event holds it as an object or as patch text.
 */

/** The fields of a map that decide whether some of its values are secret. */
export interface MapFacts {
  /** `Secret`: every value under `data`/`stringData` is a credential, whatever its key. */
  kind?: unknown;
  /** An env entry (`{ name: DB_PASSWORD, value: … }`) is secret by its name. */
  name?: unknown;
  /** What makes a map with a `name` an env entry: either of its fields besides the name. */
  value?: unknown;
  valueFrom?: unknown;
  /** An RFC 6902 operation (`{ op, path: /data/DB_PASSWORD, value }`) is secret by its path. */
  op?: unknown;
  path?: unknown;
}

/** A value that is a secret itself, a map whose every value is one (a Secret's data), or neither. */
export type Position = 'secret' | 'secret-entries' | 'open';

const SECRET_DATA_KEYS = new Set(['data', 'stringData']);
const SECRET_DATA_PATH = /^\/(?:data|stringData)(?:\/|$)/;

/** Whether a map is a Kubernetes Secret (everything below it is then treated as a Secret's). */
export const isSecretKind = (facts: MapFacts): boolean => facts.kind === 'Secret';

/** A JSON-patch path to an env entry's value, by index: the entry's name is not in the patch. */
const ENV_VALUE_PATH = /\/env\/\d+\/value$/;

/**
 * Where a map's value under `key` stands. `inSecret`: the map is inside a Secret, or inside
 * something said to target one (a stored patch with `kind: Secret`, whose text may not say so).
 * `unnamedEnv`: an operation on an env value by index (`/env/0/value`), whose name the text
 * cannot tell, counts as secret: for writes, which may keep too much out of the log, not
 * for reads, which would hide every such value.
 */
export function positionOf(key: string, facts: MapFacts, inSecret: boolean, unnamedEnv = false): Position {
  if (isSecretSetting(key)) return 'secret';
  if (key !== 'name' && isSecretEnvEntry(facts)) return 'secret';
  if (key === 'value' && isSecretOperation(facts, inSecret, unnamedEnv)) return 'secret';
  if (SECRET_DATA_KEYS.has(key) && (inSecret || isSecretKind(facts))) return 'secret-entries';
  return 'open';
}

/**
 * An env entry named like a secret: all it holds but its name is secret, whatever its
 * shape. A malformed one (`valueFrom: hunter2`, `value: {inner: hunter2}`) is as secret as
 * a well-formed one, and the API server's refusal may quote it. A map is taken for an env
 * entry by its `value` or `valueFrom`: a container or metadata named `api-token` holds
 * neither, and what it holds is not its name's secret.
 */
function isSecretEnvEntry({ name, value, valueFrom }: MapFacts): boolean {
  return typeof name === 'string' && isSecretSetting(name) && (value !== undefined || valueFrom !== undefined);
}

function isSecretOperation({ op, path }: MapFacts, inSecret: boolean, unnamedEnv: boolean): boolean {
  if (typeof op !== 'string' || typeof path !== 'string') return false;
  if (inSecret && SECRET_DATA_PATH.test(path)) return true;
  if (unnamedEnv && ENV_VALUE_PATH.test(path)) return true;
  // The last JSON-pointer token, unescaped (`~1` is `/`, `~0` is `~`).
  const last = (path.split('/').pop() ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
  return isSecretSetting(last);
}

/**
 * Where each element of a list stands: the one after a flag naming a secret is that flag's
 * value (`args: ["--db-password", "hunter2"]`, `command: [app, --api-key, k123]`), whatever
 * its shape, unless it is a flag itself (`--password-stdin`, `--verbose`); the others are open.
 * `values`: each element's value where it is a scalar (a string, a number), anything else otherwise.
 */
export function elementPositions(values: readonly unknown[]): Position[] {
  return values.map((value, i) => (i > 0 && isSecretFlag(values[i - 1]) && !startsFlag(value) ? 'secret' : 'open'));
}
