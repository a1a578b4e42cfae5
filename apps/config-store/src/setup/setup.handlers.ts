import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand, parseQuery } from '@slipway/bus';
import {
  DatabaseConnection, MockDdl, SETUP_STREAM, SetUpDatabase, SetUpDeploymentManager, SetupStatus, type CommandEnvelope, type QueryEnvelope,
} from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CONFIG_DDL } from '../migrations';
import { withDefaultLabels } from '../labels/default-labels';
import { ChangePusher } from '../model/change-pusher';
import { configCommand, NO_CHANGE, outcome, previewChange } from '../model/config-command';
import { objectsOfPatchedKinds } from '../model/objects-reached';
import { setupDecider } from './setup.decider';

@Controller()
export class SetupHandlers {
  constructor(@Inject(DATABASE) private readonly db: Pool, private readonly pushes: ChangePusher) {}

  /**
   * Setting up binds every object to its kind's label (again: one whose bindings were deleted
   * since gets it back), so the configs those labels' patches reach change: pushed, as after
   * `resource_labels/update-defaults`, which binds the same.
   */
  @MessagePattern(SetUpDeploymentManager.subject)
  async setUp(@Payload() envelope: CommandEnvelope) {
    parseCommand(SetUpDeploymentManager, envelope);
    let preview = NO_CHANGE;
    const written = handleCommand(this.db, commandContext(envelope), configCommand({
      subject: SetUpDeploymentManager.subject, streamId: SETUP_STREAM, decider: setupDecider,
      command: async (tx) => {
        preview = await previewChange(tx, await objectsOfPatchedKinds(tx), withDefaultLabels);
        return { kind: 'set-up' as const, now: envelope.issuedAt };
      },
      result: () => ({ status: 'OK' as const, ...outcome(preview) }),
    }));
    const reply = await written;
    // An outcome recorded before set-up pushed names nothing it materialized.
    return reply.ok && !reply.value.materialized ? reply : this.pushes.after(envelope, Promise.resolve(reply));
  }

  @MessagePattern(SetUpDatabase.subject)
  setUpDatabase(@Payload() envelope: CommandEnvelope) {
    const options = parseCommand(SetUpDatabase, envelope);
    return handleCommand(this.db, commandContext(envelope), configCommand({
      subject: SetUpDatabase.subject, streamId: SETUP_STREAM, decider: setupDecider,
      command: async () => ({ kind: 'set-up-database' as const, options, now: envelope.issuedAt }),
      result: () => ({ status: 'OK' as const }),
    }));
  }

  /** Set up = the tables exist (migrations ran) and the default label bindings were made. */
  @MessagePattern(SetupStatus.subject)
  async status(@Payload() envelope: QueryEnvelope): Promise<{ isSetup: boolean }> {
    parseQuery(SetupStatus, envelope);
    const { rows } = await this.db.query("SELECT 1 FROM setup_state WHERE name = 'deployment-manager'");
    return { isSetup: rows.length > 0 };
  }

  /** The statements the config-store's migrations run: the Deployment Manager's tables. */
  @MessagePattern(MockDdl.subject)
  mockDdl(@Payload() envelope: QueryEnvelope): { ddls: string[] } {
    parseQuery(MockDdl, envelope);
    return { ddls: CONFIG_DDL.map((s) => `${s.replace(/\s+/g, ' ').trim()};`) };
  }

  @MessagePattern(DatabaseConnection.subject)
  async connection(@Payload() envelope: QueryEnvelope): Promise<{ ok: boolean }> {
    parseQuery(DatabaseConnection, envelope);
    return { ok: await this.db.query('SELECT 1').then(() => true, () => false) };
  }
}
