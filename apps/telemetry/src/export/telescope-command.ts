import type { TelemetryJob } from '@slipway/contracts';
import { handleCommand, type CommandContext } from '@slipway/event-log';
import type { Pool } from 'pg';
import { telescopeDecider, type TelescopeCommand } from './telescope.decider';
import { telescopeProjection } from './telescope.projection';

/** Decides a telescope command on its job's stream; the reply is the job after it. */
export const runTelescopeCommand = (db: Pool, context: CommandContext, subject: string, streamId: string, command: TelescopeCommand) =>
  handleCommand(db, context, {
    subject, streamId, decider: telescopeDecider, command: () => command, projections: [telescopeProjection],
    result: (after) => after.job as TelemetryJob,
  });
