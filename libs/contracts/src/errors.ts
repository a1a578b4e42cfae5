/**
 * The closed vocabulary of outcomes a handler can refuse with. Each dialect maps these
 * to its own status codes and error shape in one place (the gateway's error mapper).
 */
export type ErrorCode =
  | 'invalid' // the input is malformed or breaks a rule; `field` names the culprit
  | 'not-found'
  | 'already-exists'
  | 'immutable' // an update touches a field that cannot change after creation
  | 'referenced' // a delete is refused while other resources point at the target
  | 'conflict' // concurrent writers kept colliding; retrying may succeed
  | 'unauthorized'
  | 'forbidden'
  | 'unavailable' // a dependency is down; the command is kept and retried
  | 'internal';

export interface SlipwayError {
  code: ErrorCode;
  message: string;
  field?: string;
}

/** Thrown inside deciders and use cases; carried across the bus as a plain SlipwayError. */
export class DomainError extends Error implements SlipwayError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /**
   * Whether this refusal is the command's outcome for good, so it may be recorded as such:
   * every refusal but `unavailable` ("a dependency is down; retry"). A subclass whose
   * `unavailable` lasts (nothing configured to depend on) says so by overriding this.
   */
  get final(): boolean {
    return this.code !== 'unavailable';
  }

  toJSON(): SlipwayError {
    return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

export function isSlipwayError(value: unknown): value is SlipwayError {
  return typeof value === 'object' && value !== null && typeof (value as SlipwayError).code === 'string'
    && typeof (value as SlipwayError).message === 'string';
}
