import type { SendResult } from '@slipway/bus';
import { replyValue } from '@slipway/contracts';
import { CommandAccepted } from './accepted';

/** The committed value of a command, or the refusal / the 202 as an exception for the filter. */
export function outcomeOf<T>(result: SendResult<T>): T {
  if (result.status === 'accepted') throw new CommandAccepted(result.commandId);
  return replyValue(result.reply);
}
