import { DomainError, unstorableValueAt } from '@slipway/contracts';

/** How deep a request's document may nest: far more than any document of the dialects, and no walk of it can overflow a stack. */
export const MAX_BODY_DEPTH = 128;

/** Refuses a parsed body nested deeper than MAX_BODY_DEPTH, or holding a NUL or a lone surrogate, naming where. */
export function refuseUnkeepable(value: unknown): void {
  const at = unstorableValueAt(value, MAX_BODY_DEPTH);
  if (at?.tooDeep) throw new DomainError('invalid', `request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
  if (at) throw new DomainError('invalid', `${at.field || 'request body'}: ${at.reason}`, at.field || undefined);
}
