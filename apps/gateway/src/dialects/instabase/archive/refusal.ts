import { DomainError, quoted } from '@slipway/contracts';

/** Every refusal names the uploaded file, and the entry when there is one. */
export type Refuse = (problem: string) => never;

export function refuserFor(filename: string, field: string): Refuse {
  return (problem) => {
    throw new DomainError('invalid', `${field} ${quoted(filename)}: ${problem}; nothing was stored`, field);
  };
}
