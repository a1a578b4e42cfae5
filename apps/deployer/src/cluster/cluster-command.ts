import { commandContext } from '@slipway/bus';
import { clusterStreamId, replyValue, type ClusterEvent, type CommandEnvelope } from '@slipway/contracts';
import { handleCommand, readState, type Projection } from '@slipway/event-log';
import { storingSeals, type CommandSeals } from '@slipway/sealing';
import type { Pool } from 'pg';
import { clusterDecider, type ClusterCommand, type ClusterState } from './cluster.decider';
import { confirmTurnHeld } from './namespace-lock';

/**
 * Decides and records a cluster command on the namespace's stream (idempotent by command
 * id: a redelivery answers the recorded result). Refusals become DomainErrors.
 */
export async function recordClusterCommand<R>(
  db: Pool, subject: string, envelope: CommandEnvelope, namespace: string,
  command: ClusterCommand, result: (after: ClusterState, before: ClusterState) => R, seals?: CommandSeals,
): Promise<R> {
  await confirmTurnHeld();
  return replyValue(await handleCommand(db, commandContext(envelope), {
    subject, streamId: clusterStreamId(namespace), decider: clusterDecider,
    command: () => command, result: (after: ClusterState, _events: ClusterEvent[], before: ClusterState) => result(after, before),
    ...(seals ? { projections: [storingSeals(SEALS_ALONE, seals)] } : {}),
  }));
}

/**
 * No read model: the namespace's stream has none on the command path. What `seals` the
 * command's events hold tokens of are stored with them, in their transaction (storingSeals).
 */
const SEALS_ALONE: Projection = { name: 'cluster-seals', tables: [], handles: () => true, apply: async () => undefined, writesOnly: true };

/** The namespace's state as recorded so far. */
export async function readClusterState(db: Pool, namespace: string): Promise<ClusterState> {
  return (await readState(db, clusterStreamId(namespace), clusterDecider)).state;
}
