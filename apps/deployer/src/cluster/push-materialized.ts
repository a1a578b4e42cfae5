import { DependencyDown } from '@slipway/bus';
import { AutoscalingPaused, DomainError, ListMaterialized, MAX_LISTED_OBJECTS, ObjectDeleted, quotedFew, type CommandEnvelope, type MaterializedView, type PushOutcome } from '@slipway/contracts';
import { isOutage, podTemplateOf, type KubeObject, type PodRevision } from '@slipway/kube';
import type { Pool } from 'pg';
import type { CommandSeals } from '@slipway/sealing';
import { deployerSeals } from '../deployer-seals';
import { applyConfig } from './apply-config';
import { recreatable, sealedAutoscaler, type Autoscaler } from './autoscalers';
import type { Cluster } from './cluster-access';
import { readClusterState, recordClusterCommand } from './cluster-command';
import type { AppliedConfig, ClusterState } from './cluster.decider';
import { configDigestOf, configRefOf, configsReadBy, dataDigestOf, keyedHashWith, ROLLED_BY_CONFIG, withConfigDigest, withDataDigest, type ConfigRef, type KeyedHash } from './config-digest';
import { definitionsEstablished, isDefinition } from './definitions-first';
import { inParallel } from './in-parallel';
import { asSentWhileHibernated, replicasRefusal } from './hibernation';
import { objectKey } from './intended-manifest';
import { confirmTurnHeld } from './namespace-lock';
import { manifestOf, podRevisionKept } from './manifest';
import { recordedAfterTime } from './once-in-turn';
import { readDigest, withSecretsDigested } from './secret-digests';
import { doneWaitingOut, stillWaitingOut } from './wait-out-clock';

/**
 * Applies the latest materialized configs of `objects` (all when absent) with server-side
 * apply as `slipway`, reports each object as applied or failed with the API server's
 * reason, and records each applied config (ConfigApplied, its secrets as digests): it
 * becomes the object's golden config. While the cluster is hibernated, workloads are
 * applied at 0 replicas and the config's replicas are remembered for revive. `subject` names the command recorded (a
 * push, or a resize that pushes); its outcome is the reply, recorded with the events.
 *
 * CustomResourceDefinitions go first, and are waited for until served (definitions-first.ts);
 * then ConfigMaps and Secrets, stamped with the digest of their data, then the
 * workloads, stamped with the digest of the configs they read (config-digest.ts): a workload
 * whose configs changed rolls, its new pods reading the new values. A push of chosen objects
 * also pushes the workloads pushed before that read a config it applied, when their stamp
 * changes and their own configs have nothing new since (they are golden: what was applied is
 * sent again, with the new stamp), as a Helm upgrade renders the Deployment whose checksum
 * annotation changed.
 */
export async function pushMaterialized(db: Pool, cluster: Cluster, envelope: CommandEnvelope, subject: string, objects: string[] | undefined): Promise<PushOutcome> {
  // The named objects' configs only: the store may hold tens of MB of others.
  const chosen = objects ? await materializedOf(cluster, objects) : await cluster.ask(ListMaterialized, {});
  const found = new Set(chosen.map((view) => view.objectName));
  const missing = (objects ?? []).filter((name) => !found.has(name));
  if (missing.length) throw new DomainError('not-found', `no materialized config for ${quotedFew(missing, MISSING_NAMED)}`, 'object');
  const [state, digest] = await Promise.all([readClusterState(db, cluster.namespace), readDigest(db)]);
  const { hibernated, golden } = state;
  const { deletedAfter, pausedAfter } = await supersededAfter(db, cluster.namespace, envelope.issuedAt, state);
  // Autoscalers a later pause recorded, with this push's spec in their place (see repause).
  const repaused: Record<string, Record<string, unknown>> = {};
  // Opened once for all the push's repauses, which run side by side (each must seal with the seals recorded).
  let seals: Promise<CommandSeals> | undefined;
  const hash = keyedHashWith(digest);
  const dataDigests = dataDigestsInCluster(golden);
  const appliedConfigs = new Set<ConfigRef>();
  const applied: AppliedConfig[] = [];
  const failedToApply: Record<string, string> = {};
  const parsed = new Map<MaterializedView, ReturnType<typeof manifestOf>>();
  const parse = (view: MaterializedView) => parsed.get(view) ?? parsed.set(view, manifestOf(view, cluster.namespace)).get(view)!;
  const manifestToSend = (view: MaterializedView, pods?: PodRevision) => {
    const manifest = pods ? manifestOf(view, cluster.namespace, pods) : parse(view);
    return manifest.ok ? { ok: true as const, manifest: withConfigDigest(withDataDigest(manifest.manifest, hash), dataDigests, hash) } : manifest;
  };
  /** `view` recorded applied as `manifest` (its secrets as digests): its golden config. */
  const recordApplied = async (view: MaterializedView, manifest: KubeObject) => {
    applied.push({
      objectName: view.objectName, releaseVersion: view.releaseVersion, patchVersion: view.patchVersion, materializedSeq: view.materializedSeq, configDigest: hash(view.config),
      manifest: await withSecretsDigested(manifest, digest),
    });
  };
  const push = async (view: MaterializedView) => {
    const fresh = manifestToSend(view);
    if (!fresh.ok) { failedToApply[view.objectName] = fresh.reason; return; }
    const deleted = deletedAfter.get(objectKey(fresh.manifest));
    if (deleted) { failedToApply[view.objectName] = deleted; return; }
    if (pausedAfter.has(objectKey(fresh.manifest))) { await repause(view, fresh.manifest); return; }
    // Within a release, a pod template unchanged since it was last applied keeps the revision
    // its pods run (a new release rolls them, as an upgrade does). A Job's pod template cannot
    // change once the Job exists: unchanged, it keeps its labels in any release.
    const before = golden[view.objectName];
    const keepsPods = before && (before.releaseVersion === view.releaseVersion || fresh.manifest.kind === 'Job');
    const kept = keepsPods ? podRevisionKept(await withSecretsDigested(fresh.manifest, digest) as KubeObject, before.manifest) : undefined;
    const sent = kept ? manifestToSend(view, kept) : fresh;
    if (!sent.ok) { failedToApply[view.objectName] = sent.reason; return; }
    const refused = hibernated ? replicasRefusal(sent.manifest) : undefined;
    if (refused) { failedToApply[view.objectName] = refused; return; }
    // Another replica may have taken the namespace since the state was read (this one stopped a while).
    await confirmTurnHeld();
    const result = await applyConfig(cluster.client, hibernated ? asSentWhileHibernated(sent.manifest) : sent.manifest, before?.manifest);
    // The API server down, busy or unanswering (its retries spent): not the config's failure,
    // so not recorded as one (a push handed over by a write has nobody to send it again), nor
    // as applied (unanswered, the apply may have been made or not). The push is done again, in
    // place, until the API server answers (applies are idempotent), as a hibernation is; for
    // a while only, lest a refusal that only looks passing (a webhook failing closed, an
    // aggregated API down for one kind) hold the push, and what it did apply, for ever.
    if (!result.ok && isOutage(result.error) && stillWaitingOut(envelope.commandId)) throw new DependencyDown(`could not apply ${view.objectName}: ${result.error.message}`);
    if (!result.ok) { failedToApply[view.objectName] = result.error.message; return; }
    // Applied to an object a finalizer holds while it is deleted: it will be gone, not as applied.
    const deleting = result.value.metadata.deletionTimestamp;
    if (deleting) { failedToApply[view.objectName] = `${sent.manifest.kind}/${sent.manifest.metadata.name} is being deleted (since ${String(deleting)}; a finalizer holds it): push again once it is gone`; return; }
    await recordApplied(view, asKept(sent.manifest, result.value));
    const ref = configRefOf(sent.manifest);
    if (ref) {
      dataDigests.set(ref, dataDigestOf(sent.manifest)!);
      appliedConfigs.add(ref);
    }
  };
  /**
   * An autoscaler a pause issued after this push took away: as when the two run in the order
   * they were issued (this push applying it, the pause recording it and deleting it), it is
   * recorded applied and paused with this push's spec, which a resume re-creates, and not
   * applied now (before 2026-12-08 the push failed it, its write answered 500, and a resume
   * re-created the spec from before the write).
   */
  const repause = async (view: MaterializedView, manifest: KubeObject) => {
    repaused[manifest.metadata.name] = await sealedAutoscaler(recreatable(manifest as Autoscaler), await (seals ??= deployerSeals.open(db)));
    await recordApplied(view, manifest);
  };
  const isConfig = (view: MaterializedView) => { const manifest = parse(view); return manifest.ok && configRefOf(manifest.manifest) !== undefined; };
  const isDefined = (view: MaterializedView) => { const manifest = parse(view); return manifest.ok && isDefinition(manifest.manifest); };
  // The workloads that may need a new stamp, when a config is among the chosen: those applied
  // before, of a kind a config rolls. Read before any apply, as the chosen were.
  const readers = objects && chosen.some(isConfig) ? await materializedOf(cluster, rolledGoldenBesides(golden, found)) : [];
  // Definitions first, served before what they define is sent (a custom resource whose name
  // sorted before its definition's was refused as of a kind the API server had no resource for).
  /**
   * Pushes `views` APPLIES_AT_ONCE at a time (one after another, a thousand ConfigMaps took
   * 14 s), recorded in their order whatever order the applies end in. Each group waits for
   * the one before: a definition is served before what it defines is sent, and a config's
   * digest is known before the workloads reading it are stamped with it.
   */
  const pushAll = async (views: MaterializedView[]) => {
    const from = applied.length;
    await inParallel(views, APPLIES_AT_ONCE, push);
    const order = new Map(views.map((view, index) => [view.objectName, index]));
    applied.push(...applied.splice(from).sort((a, b) => order.get(a.objectName)! - order.get(b.objectName)!));
  };
  const definitions = chosen.filter(isDefined);
  await pushAll(definitions);
  const defined = applied.filter((config) => definitions.some((view) => view.objectName === config.objectName));
  if (defined.length > 0) await definitionsEstablished(cluster.client, defined.map((config) => config.manifest as KubeObject));
  const rest = chosen.filter((view) => !isDefined(view));
  await pushAll(rest.filter(isConfig));
  await pushAll(rest.filter((view) => !isConfig(view)));
  if (appliedConfigs.size > 0) await pushAll(readers.filter(isRestampedReader));
  // Listed in the configs' order (by name, as the store lists them), whatever order they were applied in.
  const successfulApply = applied.map((a) => a.objectName).sort(inByteOrder);
  const outcome: PushOutcome = { successfulApply, failedToApply: Object.fromEntries(Object.entries(failedToApply).sort(([a], [b]) => inByteOrder(a, b))) };
  // The push's outcome, recorded with its events: a delivery again answers it (see
  // onceInNamespaceTurn) and does not apply again.
  doneWaitingOut(envelope.commandId);
  return recordClusterCommand(db, subject, envelope, cluster.namespace, { kind: 'record-applied', applied, repaused, now: envelope.issuedAt }, () => outcome, await seals);

  /**
   * A golden workload that reads a config this push applied, whose stamp is not the one it
   * was applied with. Its kind and the configs' names are looked for before its config is
   * parsed: a push of one ConfigMap parses only the workloads that may read it.
   */
  function isRestampedReader(view: MaterializedView): boolean {
    const before = golden[view.objectName];
    if (!before || !isAppliedConfig(before, view, hash)) return false;
    if (!ROLLED_BY_CONFIG.has(before.manifest.kind as string) || ![...appliedConfigs].some((ref) => view.config.includes(ref.slice(ref.indexOf('/') + 1)))) return false;
    const next = manifestToSend(view);
    if (!next.ok || ![...configsReadBy(podTemplateOf(next.manifest))].some((ref) => appliedConfigs.has(ref))) return false;
    return configDigestOf(next.manifest) !== configDigestOf(before.manifest);
  }
}

/** How many of the objects a push finds no config for its refusal names. */
const MISSING_NAMED = 5;

/** Applies a push has under way at once: enough to keep the API server's writes (and etcd's syncs) batched, few enough to leave it to others too. */
const APPLIES_AT_ONCE = 8;

/** The latest materialized configs of `names`, asked for as many at a time as a query takes. */
async function materializedOf(cluster: Cluster, names: string[]): Promise<MaterializedView[]> {
  const views: MaterializedView[] = [];
  for (let at = 0; at < names.length; at += MAX_LISTED_OBJECTS) views.push(...await cluster.ask(ListMaterialized, { objects: names.slice(at, at + MAX_LISTED_OBJECTS) }));
  return views;
}

/** The golden workloads a config rolls (config-digest.ts), other than `besides`. */
function rolledGoldenBesides(golden: Record<string, AppliedConfig>, besides: ReadonlySet<string>): string[] {
  return Object.entries(golden).filter(([name, { manifest }]) => !besides.has(name) && ROLLED_BY_CONFIG.has(manifest.kind as string)).map(([name]) => name);
}

/** Names in the order the config-store lists them (COLLATE "C"): theirs are ASCII, so UTF-16 order is byte order. */
const inByteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The objects a command issued after this push meant absent, and still does: the last
 * command issued wins, as when they run in turn. A push waits its turn behind others, and
 * out an outage of the config-store; delivered again after a crash, it has waited for the
 * ack's bound: applied now, it would undo what the later command did, while the log said it
 * held. `deletedAfter`: those a later command deleted (a job), each with why it is not
 * applied; `pausedAfter`: the autoscalers a later pause took away (repaused by the push).
 * Read by type (the log's index), these being few, then by the namespace and the time.
 */
async function supersededAfter(db: Pool, namespace: string, issuedAt: string, state: ClusterState): Promise<{ deletedAfter: Map<string, string>; pausedAfter: Set<string> }> {
  const rows = await recordedAfterTime<{ kind?: string; name?: string; controllers?: Record<string, unknown> }>(db, namespace, issuedAt, [ObjectDeleted.type, AutoscalingPaused.type]);
  const deletedAfter = new Map<string, string>();
  const pausedAfter = new Set<string>();
  for (const { type, data, commandId } of rows) {
    if (type === ObjectDeleted.type) {
      const key = `${data.kind}/${data.name}`;
      if (state.deletedSincePush.includes(key)) deletedAfter.set(key, `not applied: ${key} was deleted by a command issued after this push (${commandId}); push it again to create it`);
      continue;
    }
    for (const name of Object.keys(data.controllers ?? {})) {
      if (name in state.pausedAutoscalers && !state.pushedSincePause.includes(name)) pausedAfter.add(`HorizontalPodAutoscaler/${name}`);
    }
  }
  return { deletedAfter, pausedAfter };
}

/**
 * Whether `view` is the config `applied` recorded: by its text's digest where the record
 * has one (a release uploaded again, a patch deleted, keep the release and patch version but
 * are not what was applied; a config changed and changed back is), else by the release and
 * patch version, as recorded before digests were. (Every record with a `materializedSeq`
 * has a digest too: the version number is the config store's, for its IS_GOLDEN.)
 */
function isAppliedConfig(applied: AppliedConfig, view: MaterializedView, hash: KeyedHash): boolean {
  if (applied.configDigest !== undefined) return applied.configDigest === hash(view.config);
  return applied.releaseVersion === view.releaseVersion && (applied.patchVersion ?? 0) === (view.patchVersion ?? 0);
}

/** The data digests of the ConfigMaps and Secrets in the cluster as Slipway last applied them (their golden configs), by ref. */
function dataDigestsInCluster(golden: Record<string, AppliedConfig>): Map<ConfigRef, string> {
  const digests = new Map<ConfigRef, string>();
  for (const { manifest } of Object.values(golden)) {
    const ref = configRefOf(manifest);
    const stamp = ref && dataDigestOf(manifest);
    if (ref && stamp) digests.set(ref, stamp);
  }
  return digests;
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
