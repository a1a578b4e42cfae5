import { DomainError, type Reply } from '@slipway/contracts';

function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && typeof (value as Reply).ok === 'boolean'
    && ('value' in (value as object) || 'error' in (value as object));
}

/** Handlers may return a Reply, a bare value, or throw a DomainError: all become a Reply. */
export function toReply(result: unknown): Reply {
  return isReply(result) ? result : { ok: true, value: result ?? null };
}

export function errorReply(error: DomainError): Reply {
  return { ok: false, error: error.toJSON() };
}
