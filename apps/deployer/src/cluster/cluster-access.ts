import { Logger } from '@nestjs/common';
import { CommandBus, DependencyDown } from '@slipway/bus';
import { connectWhenReachable } from '@slipway/runtime';
import { DomainError, replyValue, type CommandEnvelope, type Contract, type PayloadOf, type ReplyOf } from '@slipway/contracts';
import { clusterOf, kubeClientFor, type ClusterSettings, type KubeClient } from '@slipway/kube';
import type { z } from 'zod';

/** Injection token for the deployer's ClusterAccess. */
export const CLUSTER = Symbol('CLUSTER');

/** Without a kubeconfig, cluster commands refuse with `unavailable`. */
export type ClusterConfig = ClusterSettings;

/**
 * The refusal of a deployer started without a Kubernetes configuration. Unlike other
 * `unavailable` refusals it is final: the configuration cannot change while it runs.
 */
export class ClusterNotConfigured extends DomainError {
  constructor() {
    super('unavailable', 'cluster operations need a Kubernetes configuration: start the deployer with KUBECONFIG (a kubeconfig file) set, or in a pod with SLIPWAY_KUBE_IN_CLUSTER=true', undefined, true);
  }
}

export interface Cluster {
  client: KubeClient;
  /** The Kubernetes namespace every cluster operation acts in. */
  namespace: string;
  /** Asks another service (the config-store) over the bus; a refusal becomes a DomainError. */
  ask<C extends Contract<z.ZodType>>(contract: C, payload: PayloadOf<C>): Promise<ReplyOf<C>>;
  /**
   * Sends a command to another service (the config-store) on behalf of the command being
   * handled: same actor and correlation, the given (deterministic) command id, so a
   * redelivery sends the same command and gets its recorded answer.
   */
  tell<C extends Contract<z.ZodType>>(contract: C, payload: PayloadOf<C>, on: CommandEnvelope, commandId: string): Promise<ReplyOf<C>>;
}

/**
 * The config-store down, slow or without its database ("retry shortly") is a dependency
 * down for the command that asks it: retried in place for as long as that lasts, never
 * counted towards the command's deliveries nor given up (settle-message.ts). A push handed
 * over by a committed write has no sender to send it again: given up after its counted
 * deliveries, as a "retry shortly" refusal is, the write would never reach the cluster.
 * Final refusals (no such object, a bad payload) stay the command's refusals.
 */
export async function downWhileUnavailable<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'unavailable' && !error.final) throw new DependencyDown(error.message, { cause: error });
    throw error;
  }
}

/** The deployer's one cluster context and its bus connection for queries, if configured. */
export class ClusterAccess {
  private constructor(private readonly cluster: Cluster | undefined, private readonly closers: Array<() => Promise<void>>) {}

  static async open(config: ClusterConfig, bus: { url: string; prefix?: string }): Promise<ClusterAccess> {
    const found = clusterOf(config);
    if (!found) return new ClusterAccess(undefined, []);
    const { kube, namespace } = found;
    const client = kubeClientFor(kube);
    const connection = await connectWhenReachable({ url: bus.url, prefix: bus.prefix, name: 'deployer-cluster' }, new Logger('deployer'));
    const commands = new CommandBus(connection);
    const ask: Cluster['ask'] = (contract, payload) => downWhileUnavailable(async () => replyValue(await commands.query(contract, payload, 15_000)));
    const tell: Cluster['tell'] = (contract, payload, on, commandId) => downWhileUnavailable(async () => {
      const sent = await commands.send(contract, payload, { actor: on.actor, commandId, correlationId: on.correlationId, waitMs: 15_000 });
      if (sent.status === 'accepted') throw new DomainError('unavailable', `the service answering ${contract.subject} did not answer in time; retry shortly`);
      return replyValue(sent.reply);
    });
    return new ClusterAccess({ client, namespace, ask, tell }, [() => client.close(), () => connection.close()]);
  }

  /** The cluster, or a refusal naming the missing configuration. */
  require(): Cluster {
    if (!this.cluster) throw new ClusterNotConfigured();
    return this.cluster;
  }

  /** Whether a Kubernetes configuration was given (without refusing when not). */
  get configured(): boolean {
    return this.cluster !== undefined;
  }

  async close(): Promise<void> {
    for (const close of this.closers) await close();
  }
}
