import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DomainError, ListMaterialized, PushConfigs, type CommandEnvelope, type PushOutcome } from '@slipway/contracts';
import { deterministicId } from '@slipway/event-log';
import { applyObject } from '@slipway/kube';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { recordClusterCommand } from './cluster-command';
import type { AppliedConfig } from './cluster.decider';
import { manifestOf } from './manifest';

/**
 * Applies the latest materialized configs (server-side apply as `slipway`), reports each
 * object as applied or failed with the API server's reason, and records each applied
 * config (ConfigApplied): it becomes the object's golden config.
 */
@Controller()
export class PushConfigsHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(PushConfigs.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<PushOutcome> {
    const { objects } = parseCommand(PushConfigs, envelope);
    const cluster = this.access.require();
    const all = await cluster.ask(ListMaterialized, {});
    const missing = (objects ?? []).filter((name) => !all.some((view) => view.objectName === name));
    if (missing.length) throw new DomainError('not-found', `no materialized config for ${missing.map((m) => `"${m}"`).join(', ')}`, 'object');
    const chosen = objects ? all.filter((view) => objects.includes(view.objectName)) : all;
    const applied: AppliedConfig[] = [];
    const failedToApply: Record<string, string> = {};
    for (const view of chosen) {
      const built = manifestOf(view, cluster.namespace);
      if (!built.ok) { failedToApply[view.objectName] = built.reason; continue; }
      const result = await applyObject(cluster.client, built.manifest);
      if (!result.ok) { failedToApply[view.objectName] = result.error.message; continue; }
      applied.push({ objectName: view.objectName, releaseVersion: view.releaseVersion, patchVersion: view.patchVersion, manifest: built.manifest });
    }
    // One recorded command (one event) per object: libs/event-log numbers several events of
    // one decision wrongly (see the report), and per-object ids keep redeliveries idempotent.
    for (const config of applied) {
      const perObject = { ...envelope, commandId: deterministicId(envelope.commandId, `apply:${config.objectName}`), causationId: envelope.commandId };
      await recordClusterCommand(this.db, PushConfigs.subject, perObject, cluster.namespace, { kind: 'record-applied', applied: [config], now: envelope.issuedAt }, () => null);
    }
    return { successfulApply: applied.map((a) => a.objectName), failedToApply };
  }
}
