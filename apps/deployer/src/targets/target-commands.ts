import { senderWaits } from '@slipway/bus';
import { targetStreamId, DomainError, type CommandEnvelope, type TargetEvent, type TargetKey, type TargetView } from '@slipway/contracts';
import type { StreamCommand } from '@slipway/event-log';
import { storingSeals, type CommandSeals } from '@slipway/sealing';
import { targetDecider, type TargetCommand, type TargetState } from './target.decider';
import { targetsProjection } from './targets.projection';

/**
 * What every target command shares: the stream, the decider, the projection (storing the
 * `seals` its annotations were sealed with, if any), the reply.
 */
export function targetCommand(
  subject: string, key: TargetKey, command: StreamCommand<TargetState, TargetCommand, TargetEvent, TargetView>['command'], seals?: CommandSeals,
): StreamCommand<TargetState, TargetCommand, TargetEvent, TargetView> {
  return {
    subject,
    streamId: targetStreamId(key),
    decider: targetDecider,
    command,
    projections: [seals ? storingSeals(targetsProjection, seals) : targetsProjection],
    result: (after, _events, before) => {
      const state = after.exists ? after : before;
      if (!state.exists) throw new DomainError('not-found', `deployment target "${key.name}" not found`);
      return state.target;
    },
  };
}

/** Whether a command is carried out after its sender stopped waiting for it (TargetCommand's `late`). */
export const carriedOutLate = (envelope: CommandEnvelope): boolean => !senderWaits(envelope.repliesUntil, 1);
