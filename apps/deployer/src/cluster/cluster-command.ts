import { commandContext } from '@slipway/bus';
import { clusterStreamId, replyValue, type ClusterEvent, type CommandEnvelope } from '@slipway/contracts';
import { handleCommand, readState } from '@slipway/event-log';
import type { Pool } from 'pg';
import { clusterDecider, type ClusterCommand, type ClusterState } from './cluster.decider';

/**
 * Decides and records a cluster command on the namespace's stream (idempotent by command
 * id: a redelivery answers the recorded result). Refusals become DomainErrors.
 */
export async function recordClusterCommand<R>(
  db: Pool, subject: string, envelope: CommandEnvelope, namespace: string,
  command: ClusterCommand, result: (after: ClusterState, before: ClusterState) => R,
): Promise<R> {
  return replyValue(await handleCommand(db, commandContext(envelope), {
    subject, streamId: clusterStreamId(namespace), decider: clusterDecider,
    command: () => command, result: (after: ClusterState, _events: ClusterEvent[], before: ClusterState) => result(after, before),
  }));
}

/** The namespace's state as recorded so far. */
export async function readClusterState(db: Pool, namespace: string): Promise<ClusterState> {
  return (await readState(db, clusterStreamId(namespace), clusterDecider)).state;
}
