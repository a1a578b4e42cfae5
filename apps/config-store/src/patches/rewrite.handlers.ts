import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, ERASED_AFTER_HANDLING, parseCommand } from '@slipway/bus';
import { PATCH_STREAM, SetNamespace, SetRegistry, type CommandEnvelope } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { toYamlText } from '@slipway/materializer';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { ALL_OBJECTS } from '../materialize/model';
import { configCommand, NO_CHANGE, outcome } from '../model/config-command';
import type { ParsedPatch } from '../parsing/parse-patches';
import { ChangePusher } from '../model/change-pusher';
import { checkNewPatches } from './check-new-patches';
import { patchDecider } from './patch.decider';
import { configSeals } from '../sealing/config-seals';

/**
 * Namespace and registry rewrites are recorded as patches that target every object. Their
 * description is free text, sealed as a patch's is (a `password=` in it stays out of the
 * log); the command that carried it is erased once handled.
 */
async function rewrite(db: Pool, envelope: CommandEnvelope, subject: string, patch: ParsedPatch, description: string) {
  const seals = await configSeals.open(db);
  const sealed = seals.seal(description, false, 'description');
  let preview = NO_CHANGE;
  return handleCommand(db, commandContext(envelope), configCommand({
    subject, streamId: PATCH_STREAM, decider: patchDecider, seals,
    command: async (tx) => {
      preview = await checkNewPatches(tx, [patch], envelope.issuedAt);
      return { kind: 'apply' as const, patches: [patch], description: sealed, descriptionSealed: true as const, by: envelope.actor.principal, now: envelope.issuedAt };
    },
    result: (_after, events) => ({ ...outcome(preview), versions: events.length ? [(events[0]!.data as { patches: Array<{ version: number }> }).patches[0]!.version] : [] }),
  }));
}

@Controller()
export class RewriteHandlers {
  constructor(@Inject(DATABASE) private readonly db: Pool, private readonly pushes: ChangePusher) {}

  @MessagePattern(SetNamespace.subject, ERASED_AFTER_HANDLING)
  namespace(@Payload() envelope: CommandEnvelope) {
    const { namespace, description } = parseCommand(SetNamespace, envelope);
    const patch: ParsedPatch = { target: ALL_OBJECTS, format: 'NAMESPACE', kind: null, patch: toYamlText({ namespace }).trim() };
    return this.pushes.after(envelope, rewrite(this.db, envelope, SetNamespace.subject, patch, description || `Set the namespace of every config to ${namespace}`));
  }

  @MessagePattern(SetRegistry.subject, ERASED_AFTER_HANDLING)
  registry(@Payload() envelope: CommandEnvelope) {
    const { registry, description } = parseCommand(SetRegistry, envelope);
    const patch: ParsedPatch = { target: ALL_OBJECTS, format: 'REGISTRY', kind: null, patch: toYamlText({ registry }).trim() };
    return this.pushes.after(envelope, rewrite(this.db, envelope, SetRegistry.subject, patch, description || `Set the image registry of every config to ${registry}`));
  }
}
