import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import { FindInconsistencies, ListMaterializedNames, type Inconsistencies, type QueryEnvelope } from '@slipway/contracts';
import { failed, findObject, isOutage, type KubeObject, type KubeResult, type RetryPolicy } from '@slipway/kube';
import { AtMostAtOnce, DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { readClusterState } from './cluster-command';
import { inParallel } from './in-parallel';
import { intendedManifest } from './intended-manifest';
import { KubeRefusal } from './kube-refusal';
import { objectDrift } from './object-drift';
import { readDigest } from './secret-digests';

/** Skip codes: the document leaves them open ("internal-status-code"). */
export const NEVER_APPLIED = 1;
export const UNREADABLE = 2;
/** Live objects read at once. */
const READS_AT_ONCE = 16;
/**
 * How the live objects are read: within the gateway's wait for the answer (5 s), which the
 * reads' usual six tries with waits of up to 3 s, or one request to an API server that takes
 * connections and does not answer (70 s), outlasted, so that a client was told the deployer
 * did not respond. Each read is tried three times, briefly, and what has not answered
 * READS_WITHIN_MS after the check began is taken as unanswered (its request may go on).
 */
const READ_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 400 };
const READS_WITHIN_MS = 4_000;
/** Drift checks a deployer runs at once: each reads every object, live and applied, in memory. */
export const CHECKS_AT_ONCE = 2;

/**
 * Compares each object as Slipway intends it (its golden config, the one the deployer last
 * applied, as hibernation and paused autoscaling change it: see intended-manifest.ts) with
 * the live object, so that what Slipway itself did is not reported as drift. Objects never
 * pushed, or whose live state cannot be read, are skipped with a reason.
 */
@Controller()
export class FindInconsistenciesHandler {
  private readonly checks = new AtMostAtOnce(CHECKS_AT_ONCE, (most) => `the deployer is checking drift for ${most} requests already; nothing was done: retry shortly`);

  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(FindInconsistencies.subject)
  async handle(@Payload() envelope: QueryEnvelope): Promise<Inconsistencies> {
    parseQuery(FindInconsistencies, envelope);
    return this.checks.run(() => this.check());
  }

  private async check(): Promise<Inconsistencies> {
    const cluster = this.access.require();
    const [state, materializedNames, digest] = await Promise.all([readClusterState(this.db, cluster.namespace), cluster.ask(ListMaterializedNames, {}), readDigest(this.db)]);
    const names = [...new Set([...materializedNames, ...Object.keys(state.golden)])].sort();
    const found: Inconsistencies = { numInconsistencies: 0, inconsistentResources: {}, consistentResources: [], skippedResources: {} };
    const readsEnd = Date.now() + READS_WITHIN_MS;
    const lives = await inParallel(names, READS_AT_ONCE, (name) => {
      const applied = state.golden[name]?.manifest as KubeObject | undefined;
      return applied ? answeredBy(findObject(cluster.client, applied, READ_RETRY), readsEnd) : Promise.resolve(undefined);
    });
    // None readable for the API server's absence: the check could not be made, which a 503
    // says (as every cluster operation does), rather than every object skipped as unreadable.
    const read = lives.filter((live) => live !== undefined);
    if (read.length > 0 && read.every(isUnanswered)) throw new KubeRefusal('could not read the live objects', read[0].error);
    for (const [i, name] of names.entries()) {
      const applied = state.golden[name]?.manifest as KubeObject | undefined;
      const live = lives[i];
      if (!applied || !live) { found.skippedResources[name] = { code: NEVER_APPLIED, reason: 'never pushed to the cluster: it has no golden config' }; continue; }
      if (!live.ok) { found.skippedResources[name] = { code: UNREADABLE, reason: `could not read the live object: ${live.error.message}` }; continue; }
      const rows = objectDrift(intendedManifest(applied, state), live.value, applied.metadata.name, digest);
      if (rows.length) found.inconsistentResources[name] = { diffRows: rows };
      else found.consistentResources.push(name);
    }
    found.numInconsistencies = Object.keys(found.inconsistentResources).length;
    return found;
  }
}

/** A read the API server did not answer: it is away, busy, or did not answer in time. */
const isUnanswered = <T>(live: KubeResult<T>): live is Extract<KubeResult<T>, { ok: false }> => !live.ok && isOutage(live.error);

/** A read's result, or, past `end` (a time), a timeout in its place: the API server did not answer in time. */
function answeredBy<T>(read: Promise<KubeResult<T>>, end: number): Promise<KubeResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<KubeResult<T>>((resolve) => {
    timer = setTimeout(() => resolve(failed({ kind: 'transient', timedOut: true, message: `the Kubernetes API server did not answer within ${READS_WITHIN_MS / 1000} s` })), Math.max(0, end - Date.now()));
  });
  return Promise.race([read, late]).finally(() => clearTimeout(timer));
}
