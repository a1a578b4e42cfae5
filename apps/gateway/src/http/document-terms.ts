import { DomainError } from '@slipway/contracts';

/**
 * Renames a contract field in a validation error to the dialect document's spelling
 * (`names`: contract field, or a whole path in it → document field). Only the map's own entries rename: a field
 * sent as `constructor` or `__proto__` is named as sent, not as what objects inherit.
 */
export function inDocumentTerms<T>(names: Record<string, string>, validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof DomainError) || !error.field) throw error;
    const [head, ...rest] = error.field.split('.');
    // A whole path may be named (`objects.0`, the one object of a path parameter), else its head.
    const field = Object.hasOwn(names, error.field) ? names[error.field]! : [Object.hasOwn(names, head!) ? names[head!] : head, ...rest].join('.');
    throw new DomainError(error.code, error.message.replace(error.field, field), field);
  }
}
