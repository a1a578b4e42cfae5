import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DomainError, ListMaterialized, PushConfigs, type CommandEnvelope, type PushOutcome } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { KubeObject } from '@slipway/kube';
import type { Pool } from 'pg';
import { applyConfig } from './apply-config';
import { CLUSTER, type Cluster, type ClusterAccess } from './cluster-access';
import { readClusterState, recordClusterCommand } from './cluster-command';
import type { AppliedConfig } from './cluster.decider';
import { asSentWhileHibernated } from './hibernation';
import { manifestOf, podRevisionKept } from './manifest';
import { onceInNamespaceTurn } from './once-in-turn';
import { readDigest, withSecretsDigested } from './secret-digests';

/**
 * Applies the latest materialized configs of `objects` (all when absent) with server-side
 * apply as `slipway`, reports each object as applied or failed with the API server's
 * reason, and records each applied config (ConfigApplied, its secrets as digests): it
 * becomes the object's golden config. While the cluster is hibernated, workloads are
 * applied at 0 replicas and the config's replicas are remembered for revive. `subject` names the command recorded (a
 * push, or a resize that pushes); its outcome is the reply, recorded with the events.
 */
export async function pushMaterialized(db: Pool, cluster: Cluster, envelope: CommandEnvelope, subject: string, objects: string[] | undefined): Promise<PushOutcome> {
  const all = await cluster.ask(ListMaterialized, {});
  const missing = (objects ?? []).filter((name) => !all.some((view) => view.objectName === name));
  if (missing.length) throw new DomainError('not-found', `no materialized config for ${missing.map((m) => `"${m}"`).join(', ')}`, 'object');
  const chosen = objects ? all.filter((view) => objects.includes(view.objectName)) : all;
  const [{ hibernated, golden }, digest] = await Promise.all([readClusterState(db, cluster.namespace), readDigest(db)]);
  const applied: AppliedConfig[] = [];
  const failedToApply: Record<string, string> = {};
  for (const view of chosen) {
    const fresh = manifestOf(view, cluster.namespace);
    if (!fresh.ok) { failedToApply[view.objectName] = fresh.reason; continue; }
    // Within a release, a pod template unchanged since it was last applied keeps the revision
    // its pods run (a new release rolls them, as an upgrade does). A Job's pod template cannot
    // change once the Job exists: unchanged, it keeps its labels in any release.
    const before = golden[view.objectName];
    const keepsPods = before && (before.releaseVersion === view.releaseVersion || fresh.manifest.kind === 'Job');
    const kept = keepsPods ? podRevisionKept(withSecretsDigested(fresh.manifest, digest) as KubeObject, before.manifest) : undefined;
    const built = kept ? manifestOf(view, cluster.namespace, kept) : fresh;
    if (!built.ok) { failedToApply[view.objectName] = built.reason; continue; }
    const result = await applyConfig(cluster.client, hibernated ? asSentWhileHibernated(built.manifest) : built.manifest);
    if (!result.ok) { failedToApply[view.objectName] = result.error.message; continue; }
    applied.push({ objectName: view.objectName, releaseVersion: view.releaseVersion, patchVersion: view.patchVersion, manifest: withSecretsDigested(asKept(built.manifest, result.value), digest) });
  }
  const outcome: PushOutcome = { successfulApply: applied.map((a) => a.objectName), failedToApply };
  // The push's outcome, recorded with its events: a delivery again answers it (see
  // onceInNamespaceTurn) and does not apply again.
  return recordClusterCommand(db, subject, envelope, cluster.namespace, { kind: 'record-applied', applied, now: envelope.issuedAt }, () => outcome);
}

/**
 * The manifest as the API server kept it where that matters for drift: a kind it treats as
 * cluster-scoped (a custom one the deployer could not know) keeps no namespace.
 */
function asKept(manifest: KubeObject, live: KubeObject): KubeObject {
  if (live.metadata?.namespace || !manifest.metadata.namespace) return manifest;
  const { namespace: _dropped, ...metadata } = manifest.metadata;
  return { ...manifest, metadata } as KubeObject;
}

@Controller()
export class PushConfigsHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  /**
   * Answered once by id: the gateway reads a push's outcome back by its command id, and a
   * push delivered again after later commands must not apply its configs over theirs. The
   * check is in the namespace's turn (so a concurrent duplicate waits, then finds the
   * outcome), and so are the applies, so that `hibernated` cannot change between its read
   * and them.
   */
  @MessagePattern(PushConfigs.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<PushOutcome> {
    const { objects } = parseCommand(PushConfigs, envelope);
    const cluster = this.access.require();
    return onceInNamespaceTurn(this.db, cluster.namespace, envelope, () => pushMaterialized(this.db, cluster, envelope, PushConfigs.subject, objects));
  }
}
