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
  | 'limited' // the caller holds as many of something as one may (open streams): 429
  | 'internal';

export interface SlipwayError {
  code: ErrorCode;
  message: string;
  field?: string;
  /**
   * Whether the refusal is the command's outcome for good — present only where it differs
   * from its code's rule (see DomainError.final), so that a service receiving it from
   * another (a command it sent on behalf of its own) refuses its own command the same way.
   */
  final?: boolean;
}

/** The rule: every refusal but `unavailable` ("a dependency is down; retry") is final. */
const finalByCode = (code: ErrorCode): boolean => code !== 'unavailable';

/** Thrown inside deciders and use cases; carried across the bus as a plain SlipwayError. */
export class DomainError extends Error implements SlipwayError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Overrides the code's rule: an `unavailable` that lasts, a `conflict` that may pass. */
    private readonly finality?: boolean,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** A refusal received from another service, as that service meant it. */
  static from(error: SlipwayError): DomainError {
    return new DomainError(error.code, error.message, error.field, typeof error.final === 'boolean' ? error.final : undefined);
  }

  /** Whether this refusal is the command's outcome for good, so it may be recorded as such. */
  get final(): boolean {
    return this.finality ?? finalByCode(this.code);
  }

  toJSON(): SlipwayError {
    const finality = this.final === finalByCode(this.code) ? {} : { final: this.final };
    return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}), ...finality };
  }
}

export function isSlipwayError(value: unknown): value is SlipwayError {
  return typeof value === 'object' && value !== null && typeof (value as SlipwayError).code === 'string'
    && typeof (value as SlipwayError).message === 'string';
}
