import { randomUUID } from 'node:crypto';
import type { CommandEnvelope } from '@slipway/contracts';
import { createPool, findOutcome, migrate, type StoredOutcome } from '@slipway/event-log';
import { applyObject, deleteObject, findObject, getObject, unwrap, type KubeObject } from '@slipway/kube';
import { eventually } from '@slipway/testing';
import { createTestDatabase } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import type { Pool } from 'pg';
import type { Cluster, ClusterAccess } from './cluster-access';
import { deployerMigrations } from '../migrations';

/**
 * The cluster handlers on a database and a namespace of their own, called directly as the
 * transport calls them: a delivery is a call with an envelope, so a redelivery (or a resend
 * after JetStream's dedupe window) is the same envelope handled again.
 */
export interface HandlerRig {
  db: Pool;
  kube: TestNamespace;
  access: ClusterAccess;
  /** A command envelope; reuse one to deliver the same command again. */
  envelope(payload?: unknown): CommandEnvelope;
  outcome(envelope: CommandEnvelope): Promise<StoredOutcome | undefined>;
  replicas(name: string): Promise<number>;
  exists(object: KubeObject): Promise<boolean>;
  close(): Promise<void>;
}

/** The config-store as these tests see it: nothing materialized, no command sent to it. */
export async function handlerRig(prefix: string): Promise<HandlerRig> {
  const url = await createTestDatabase();
  // With the deployer's own tables: a push reads its key for secrets' digests there.
  await migrate(url, deployerMigrations);
  const db = createPool(url);
  const kube = await createTestNamespace(prefix);
  const access = accessTo({
    client: kube.client, namespace: kube.namespace,
    ask: async () => [] as never,
    tell: async () => { throw new Error('these tests send no command to the config-store'); },
  });
  return {
    db, kube, access,
    envelope: (payload = {}) => {
      const commandId = randomUUID();
      return { commandId, correlationId: commandId, actor: { principal: 'admin', kind: 'token' }, issuedAt: new Date().toISOString(), payload };
    },
    outcome: (envelope) => findOutcome(db, envelope.commandId),
    replicas: async (name) => {
      const ref = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: kube.namespace } };
      return unwrap(await getObject<KubeObject & { spec: { replicas: number } }>(kube.client, ref)).spec.replicas;
    },
    exists: async (object) => unwrap(await findObject(kube.client, object)) !== undefined,
    close: async () => {
      await db.end();
      await kube.dispose();
    },
  };
}

/** A ClusterAccess configured with `cluster` (`require` is all the handlers use of it). */
export const accessTo = (cluster: Cluster): ClusterAccess => ({ require: () => cluster, configured: true }) as unknown as ClusterAccess;

export const deployment = (namespace: string, name: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: {
    replicas, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'registry.example/app:1' }] } },
  },
});

/** An autoscaler of a workload that does not exist, so no controller ever acts on it. */
export const autoscaler = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${name}-absent` }, minReplicas: 1, maxReplicas: 3,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
  },
});

/** What an admission policy refuses: one resource (a subresource as `deployments/scale`) and operation. */
export interface Refused {
  resource: string;
  apiGroup: string;
  operation: 'DELETE' | 'UPDATE';
  /** Refused where this CEL expression is false (`oldObject` is the object as it is). */
  allowedWhen: string;
  message: string;
}

/**
 * A policy that lets deletions of the object named `name` through as dry runs only (as when
 * the API server fails between the two), and its probe: an object `make` makes, named
 * `probe-<n>`, fresh each time (a second delete of one already going passes without
 * admission), whose deletion is refused while the policy is in force.
 */
export function deletesOnlyAsDryRuns(rig: HandlerRig, target: { resource: string; apiGroup: string; name: string; message: string }, make: (name: string) => KubeObject): { refused: Refused; probe: () => Promise<boolean> } {
  const refused: Refused = {
    resource: target.resource, apiGroup: target.apiGroup, operation: 'DELETE', message: target.message,
    allowedWhen: `request.dryRun == true || !(oldObject.metadata.name == '${target.name}' || oldObject.metadata.name.startsWith('probe-'))`,
  };
  let probes = 0;
  const probe = async () => {
    const probed = make(`probe-${++probes}`);
    unwrap(await applyObject(rig.kube.client, probed));
    return !(await deleteObject(rig.kube.client, probed)).ok;
  };
  return { refused, probe };
}

/**
 * Runs `work` while a ValidatingAdmissionPolicy refuses `refused` in the rig's namespace,
 * as an operator's policy (or RBAC) would: the API server refuses it, dry runs included.
 * `takenEffect` probes whether the policy is in force (the server loads and drops it
 * asynchronously): awaited before `work`, and awaited gone after.
 */
export async function whileRefused(rig: HandlerRig, refused: Refused, takenEffect: () => Promise<boolean>, work: () => Promise<void>): Promise<void> {
  const name = `refuse-${rig.kube.namespace}`;
  const policy: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: [refused.apiGroup], apiVersions: ['*'], operations: [refused.operation], resources: [refused.resource] }] },
      validations: [{ expression: refused.allowedWhen, message: refused.message }],
    },
  };
  const binding: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name },
    spec: {
      policyName: name, validationActions: ['Deny'],
      matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': rig.kube.namespace } } },
    },
  };
  unwrap(await applyObject(rig.kube.client, policy));
  unwrap(await applyObject(rig.kube.client, binding));
  try {
    await eventually(async () => expect(await takenEffect()).toBe(true), 20_000);
    await work();
  } finally {
    unwrap(await deleteObject(rig.kube.client, binding));
    unwrap(await deleteObject(rig.kube.client, policy));
    // Lifted as asynchronously as it took effect: the tests after it must not meet it.
    await eventually(async () => expect(await takenEffect()).toBe(false), 20_000);
  }
}
