import { DomainError, quoted } from '@slipway/contracts';

/** Every refusal names the uploaded file, and the entry when there is one. */
export type Refuse = (problem: string) => never;

export function refuserFor(filename: string, field: string): Refuse {
  return (problem) => {
    throw new DomainError('invalid', `${uploadNamed(field, filename)}: ${problem}; nothing was stored`, field);
  };
}

/** An uploaded file as a refusal names it: its field, and its file name when it was sent one. */
export const uploadNamed = (field: string, filename: string): string => (filename === '' ? field : `${field} ${quoted(filename)}`);
