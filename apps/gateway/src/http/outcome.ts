import type { SendResult } from '@slipway/bus';
import { CommandAccepted } from './accepted';
import { queryValue } from './query-value';

/** The committed value of a command, or the refusal / the 202 as an exception for the filter. */
export function outcomeOf<T>(result: SendResult<T>): T {
  if (result.status === 'accepted') throw new CommandAccepted(result.commandId);
  return queryValue(result.reply);
}
