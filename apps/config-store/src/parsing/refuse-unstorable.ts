import { DomainError, refuseUnstorable as refuseUnstorableValue } from '@slipway/contracts';
import type { JsonValue } from '@slipway/materializer';
import { YAML_LIMITS } from './limits';

/** `<field>: document 2 (line 6) is nested deeper than 128 levels`: the path would be as long as the limit. */
export const tooDeep = (where: string, field: string): DomainError =>
  new DomainError('invalid', `${where} is nested deeper than ${YAML_LIMITS.maxDepth} levels`, field);

/**
 * Refuses a parsed document that holds what Postgres cannot store (a NUL, a lone surrogate:
 * YAML escapes such as `"\0"` and `"\ud800"` make them from plain text, so the payload check
 * on the text cannot see them), or that nests deeper than YAML_LIMITS.maxDepth. Stored, the
 * first would fail every push and the second every retry of the command.
 */
export function refuseUnstorable(value: JsonValue, where: string, field: string): void {
  refuseUnstorableValue(value, YAML_LIMITS.maxDepth, where, field);
}
