import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, ERASED_AFTER_HANDLING, parseCommand } from '@slipway/bus';
import { baseConfigStreamId, UploadBaseConfigs, type BaseDocument, type CommandEnvelope } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool, PoolClient } from 'pg';
import { named } from '../model/affected';
import { ChangePusher } from '../model/change-pusher';
import { configCommand, NO_CHANGE, outcome, previewChange } from '../model/config-command';
import { readBaseConfigs } from '../parsing/read-off-loop';
import { configSeals } from '../sealing/config-seals';
import { baseConfigDecider, changedDocuments } from './base-config.decider';

/** The release's stored copies of the documents' objects (the projection of its stream; writes are serialised). */
async function storedDocuments(tx: PoolClient, releaseVersion: string, documents: BaseDocument[]): Promise<Map<string, BaseDocument>> {
  const { rows } = await tx.query<BaseDocument>(
    `SELECT object_name AS "objectName", kind, api_version AS "apiVersion", config FROM base_configs WHERE release_version = $1 AND object_name = ANY($2::text[])`,
    [releaseVersion, documents.map((d) => d.objectName)],
  );
  return new Map(rows.map((row) => [row.objectName, row]));
}

@Controller()
export class UploadBaseConfigsHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, private readonly pushes: ChangePusher) {}

  @MessagePattern(UploadBaseConfigs.subject, ERASED_AFTER_HANDLING)
  async handle(@Payload() envelope: CommandEnvelope) {
    const { releaseVersion, text } = parseCommand(UploadBaseConfigs, envelope);
    const documents = await readBaseConfigs(text);
    // Recorded sealed: the decider compares sealed copies (sealing is deterministic), and
    // materialization and previews read the stored configs, secrets in place.
    const seals = await configSeals.open(this.db);
    const configs = await seals.sealAll(documents.map((d) => ({ text: d.config, inSecret: d.kind === 'Secret', field: 'base_config' })));
    const sealed = documents.map((d, i) => ({ ...d, config: configs[i]! }));
    let preview = NO_CHANGE;
    return this.pushes.after(envelope, handleCommand(this.db, commandContext(envelope), configCommand({
      subject: UploadBaseConfigs.subject, streamId: baseConfigStreamId(releaseVersion), decider: baseConfigDecider, seals,
      command: async (tx) => {
        // Only documents that differ from the release's copy are recorded (the decider's
        // rule, on the same rows): an identical one changes nothing, even when another
        // release is its object's current one.
        const recorded = changedDocuments(await storedDocuments(tx, releaseVersion, documents), documents);
        preview = await previewChange(tx, named(recorded.map((d) => d.objectName)), (model) => {
          const bases = new Map(model.bases);
          for (const d of recorded) bases.set(d.objectName, { ...d, releaseVersion });
          const labels = new Map(model.labels);
          for (const d of recorded) labels.set(d.objectName, new Set([...(labels.get(d.objectName) ?? []), d.kind]));
          return { ...model, bases, labels };
        }, undefined, true);
        return {
          kind: 'upload' as const, releaseVersion, documents: sealed, by: envelope.actor.principal, now: envelope.issuedAt,
          labelsNamed: await labelsBoundElsewhere(tx, recorded.map((d) => d.objectName)),
          misfit: preview.misfit,
        };
      },
      result: () => outcome(preview),
    })));
  }
}

/**
 * Which of `names`, objects not stored before, are labels bound to other objects: a patch's
 * target names an object or a label alike, so such an object would take the label's patches,
 * and its own would reach the objects bound to the label.
 */
async function labelsBoundElsewhere(tx: PoolClient, names: string[]): Promise<string[]> {
  const { rows } = await tx.query<{ label: string }>(
    `SELECT DISTINCT label FROM label_bindings WHERE label = ANY($1::text[]) AND object_name <> label
       AND NOT EXISTS (SELECT 1 FROM base_configs b WHERE b.object_name = label_bindings.label) ORDER BY label`,
    [names],
  );
  return rows.map((row) => row.label);
}
