import { DomainError } from '@slipway/contracts';

/** Renames a contract field in a validation error to the document's spelling. */
export function inDocumentTerms<T>(names: Record<string, string>, validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof DomainError) || !error.field) throw error;
    const [head, ...rest] = error.field.split('.');
    const field = [names[head!] ?? head, ...rest].join('.');
    throw new DomainError(error.code, error.message.replace(error.field, field), field);
  }
}
