import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand } from '@slipway/bus';
import { BindLabels, DeleteObjectBindings, LABEL_STREAM, UpdateDefaultLabels, type CommandEnvelope } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool, PoolClient } from 'pg';
import type { ConfigModel } from '../materialize/model';
import { named, type Affected } from '../model/affected';
import { configCommand, NO_CHANGE, outcome, previewChange, type Preview } from '../model/config-command';
import { ChangePusher } from '../model/change-pusher';
import { objectsOfPatchedKinds } from '../model/objects-reached';
import { withDefaultLabels } from './default-labels';
import { labelDecider, type LabelCommand } from './label.decider';

/** Label bindings: one subject per method, all on the bindings stream. */
@Controller()
export class LabelHandlers {
  constructor(@Inject(DATABASE) private readonly db: Pool, private readonly pushes: ChangePusher) {}

  /** `affected` names every object whose materialization `change` can alter (see previewChange). */
  private run(
    envelope: CommandEnvelope, subject: string, affected: (tx: PoolClient) => Promise<Affected> | Affected,
    change: (model: ConfigModel) => ConfigModel, command: (bound: number, preview: Preview, tx: PoolClient) => LabelCommand | Promise<LabelCommand>, objectName?: string, binds = false,
  ) {
    let preview = NO_CHANGE;
    return this.pushes.after(envelope, handleCommand(this.db, commandContext(envelope), configCommand({
      subject, streamId: LABEL_STREAM, decider: labelDecider,
      command: async (tx) => {
        preview = await previewChange(tx, await affected(tx), change, undefined, binds);
        const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM label_bindings WHERE object_name = $1', [objectName ?? '']);
        return command(rows[0]!.n, preview, tx);
      },
      result: () => outcome(preview),
    })));
  }

  @MessagePattern(BindLabels.subject)
  bind(@Payload() envelope: CommandEnvelope) {
    const { labels, objects } = parseCommand(BindLabels, envelope);
    return this.run(envelope, BindLabels.subject, () => named(objects), (model) => {
      const next = new Map(model.labels);
      for (const o of objects) next.set(o, new Set([...(next.get(o) ?? []), ...labels]));
      return { ...model, labels: next };
    }, async (_bound, { misfit }, tx) => ({
      kind: 'bind', labels, objects, now: envelope.issuedAt, labelsNamingObjects: await objectsNamed(tx, labels), misfit,
    }), undefined, true);
  }

  @MessagePattern(DeleteObjectBindings.subject)
  deleteObject(@Payload() envelope: CommandEnvelope) {
    const { object } = parseCommand(DeleteObjectBindings, envelope);
    return this.run(envelope, DeleteObjectBindings.subject, () => named([object]), (model) => {
      const next = new Map(model.labels);
      next.delete(object);
      return { ...model, labels: next };
    }, (bound) => ({ kind: 'delete-object', objectName: object, bound, now: envelope.issuedAt }), object);
  }

  @MessagePattern(UpdateDefaultLabels.subject)
  updateDefaults(@Payload() envelope: CommandEnvelope) {
    parseCommand(UpdateDefaultLabels, envelope);
    return this.run(envelope, UpdateDefaultLabels.subject, objectsOfPatchedKinds, withDefaultLabels, () => ({ kind: 'update-defaults', now: envelope.issuedAt }));
  }
}

/** Which of `names` are objects' names (with a base config). */
async function objectsNamed(tx: PoolClient, names: string[]): Promise<string[]> {
  const { rows } = await tx.query<{ object_name: string }>('SELECT DISTINCT object_name FROM base_configs WHERE object_name = ANY($1::text[]) ORDER BY object_name', [names]);
  return rows.map((row) => row.object_name);
}
