import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DomainError, ListMaterialized, PushConfigs, type CommandEnvelope, type PushOutcome } from '@slipway/contracts';
import { applyObject } from '@slipway/kube';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type Cluster, type ClusterAccess } from './cluster-access';
import { recordClusterCommand } from './cluster-command';
import type { AppliedConfig } from './cluster.decider';
import { manifestOf } from './manifest';

/**
 * Applies the latest materialized configs of `objects` (all when absent) with server-side
 * apply as `slipway`, reports each object as applied or failed with the API server's
 * reason, and records each applied config (ConfigApplied): it becomes the object's golden
 * config. `subject` names the command recorded (a push, or a resize that pushes).
 */
export async function pushMaterialized(db: Pool, cluster: Cluster, envelope: CommandEnvelope, subject: string, objects: string[] | undefined): Promise<PushOutcome> {
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
  // One recorded command for the push: a redelivery re-applies (harmless, SSA is
  // idempotent) and finds the outcome recorded, so nothing is appended twice.
  if (applied.length) await recordClusterCommand(db, subject, envelope, cluster.namespace, { kind: 'record-applied', applied, now: envelope.issuedAt }, () => null);
  return { successfulApply: applied.map((a) => a.objectName), failedToApply };
}

@Controller()
export class PushConfigsHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(PushConfigs.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<PushOutcome> {
    const { objects } = parseCommand(PushConfigs, envelope);
    return pushMaterialized(this.db, this.access.require(), envelope, PushConfigs.subject, objects);
  }
}
