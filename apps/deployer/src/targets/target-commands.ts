import { targetStreamId, DomainError, type TargetEvent, type TargetKey, type TargetView } from '@slipway/contracts';
import type { StreamCommand } from '@slipway/event-log';
import { targetDecider, type TargetCommand, type TargetState } from './target.decider';
import { targetsProjection } from './targets.projection';

/** What every target command shares: the stream, the decider, the projection, the reply. */
export function targetCommand(
  subject: string, key: TargetKey, command: StreamCommand<TargetState, TargetCommand, TargetEvent, TargetView>['command'],
): StreamCommand<TargetState, TargetCommand, TargetEvent, TargetView> {
  return {
    subject,
    streamId: targetStreamId(key),
    decider: targetDecider,
    command,
    projections: [targetsProjection],
    result: (after, _events, before) => {
      const state = after.exists ? after : before;
      if (!state.exists) throw new DomainError('not-found', `deployment target "${key.name}" not found`);
      return state.target;
    },
  };
}
