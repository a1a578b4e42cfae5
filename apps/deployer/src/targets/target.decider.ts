import {
  DomainError, holdsTokenSecret, isLabelKey, isLaterTime, LABEL_KEY_RULE, TargetCreated, TargetDeleted, TargetMetadataUpdated, TOKEN_SECRET_PREFIX,
  type TargetDefinition, type TargetEvent, type TargetKey, type TargetView,
} from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';

/** `changedAt`: when the command behind the target's last event was issued (none before the first). */
export type TargetState =
  | { exists: false; version: number; changedAt?: string }
  | { exists: true; version: number; changedAt?: string; target: TargetView };

/**
 * `now`: when the command was issued. `late`: it is carried out after its sender stopped
 * waiting for it (answered 202, delivered again after a crash, or published on NATS by a
 * sender that waits for nothing).
 */
export type TargetCommand =
  | { kind: 'create'; definition: TargetDefinition; id: string; now: string; late?: boolean }
  | { kind: 'upsert'; definition: TargetDefinition; id: string; now: string; late?: boolean; expectedVersion?: number }
  | { kind: 'delete'; key: TargetKey; now: string; late?: boolean; references: number };

const sameMap = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** Refuses an annotation key that Kubernetes would refuse, unless the target has it already (it was stored before the rule). */
function checkAnnotationKeys(definition: TargetDefinition, kept: Record<string, string> = {}): void {
  const bad = Object.keys(definition.annotations).find((key) => !Object.hasOwn(kept, key) && !isLabelKey(key));
  if (bad !== undefined) throw new DomainError('invalid', `metadata.annotations.${bad}: annotation keys must be ${LABEL_KEY_RULE}`, `metadata.annotations.${bad}`);
}

/**
 * Refuses a token's secret in a label's key or value or in an annotation's key, unless the
 * target holds that label or key already: the log keeps them as sent (only annotation values
 * are sealed), every reader of the audit log sees them, and the token is a credential. The
 * refusal does not quote it: a refusal is recorded, and read back by the command's id.
 */
function refuseTokenSecrets(definition: TargetDefinition, kept?: TargetView): void {
  const newLabels = Object.entries(definition.labels).filter(([key, value]) => kept?.labels[key] !== value);
  const newAnnotationKeys = Object.keys(definition.annotations).filter((key) => !(kept && Object.hasOwn(kept.annotations, key)));
  const field = newLabels.some(([key, value]) => holdsTokenSecret(key) || holdsTokenSecret(value)) ? 'metadata.labels'
    : newAnnotationKeys.some(holdsTokenSecret) ? 'metadata.annotations' : undefined;
  if (field === undefined) return;
  const where = field === 'metadata.labels' ? 'a label\'s key or value' : 'an annotation\'s key';
  throw new DomainError('invalid', `${field}: ${where} holds a token's secret (${TOKEN_SECRET_PREFIX}…), which the audit log would keep and show to every reader: remove it (an annotation's value is sealed, and may hold one)`, field);
}

function created(definition: TargetDefinition, id: string, now: string): TargetEvent {
  refuseTokenSecrets(definition);
  checkAnnotationKeys(definition);
  return { type: TargetCreated.type, data: { ...definition, id, createdAt: now } };
}

function updated(target: TargetView, definition: TargetDefinition, now: string): TargetEvent[] {
  if (target.kubernetesNamespace !== definition.kubernetesNamespace) {
    throw new DomainError('immutable', `spec.kubernetes.namespace cannot change after creation (it is ${JSON.stringify(target.kubernetesNamespace)}); create a new deployment target instead`, 'spec.kubernetes.namespace');
  }
  refuseTokenSecrets(definition, target);
  checkAnnotationKeys(definition, target.annotations);
  if (sameMap(target.labels, definition.labels) && sameMap(target.annotations, definition.annotations)) return [];
  return [{ type: TargetMetadataUpdated.type, data: { id: target.id, labels: definition.labels, annotations: definition.annotations, modifiedAt: now } }];
}

/** Refuses an update made from a read of another version than the target's (or of a target deleted since). */
function expectVersion(state: TargetState, definition: TargetDefinition, expected: number): void {
  const { name, namespace } = definition;
  if (!state.exists) {
    // The stream's version tells a target deleted since from a name never used (version 0).
    const why = state.version === 0 ? 'no target of that name was ever created there' : 'it was deleted since it was read';
    throw new DomainError('conflict', `deployment target "${name}" does not exist in namespace "${namespace}" (metadata.resourceVersion ${expected} was sent): ${why}; send it without resourceVersion to create it`, 'metadata.resourceVersion', true);
  }
  if (state.target.resourceVersion !== expected) {
    throw new DomainError('conflict', `deployment target "${name}" has changed since it was read: metadata.resourceVersion is ${state.target.resourceVersion}, not ${expected}; read it again and make the change on that`, 'metadata.resourceVersion', true);
  }
}

/**
 * Refuses a command carried out late that was issued before the target's last change: a
 * create answered 202 and carried out after the same client's later delete had been answered
 * 200 would bring the target back, undoing a change whose sender was told it was done. The
 * last command issued wins, as for cluster operations. Only late ones are judged: a command
 * whose sender still waits is as concurrent as any other, and gateways' clocks differ.
 */
function refuseIfSuperseded(command: TargetCommand, state: TargetState): void {
  if (!command.late || state.changedAt === undefined || !isLaterTime(state.changedAt, command.now)) return;
  const name = command.kind === 'delete' ? command.key.name : command.definition.name;
  throw new DomainError('conflict', `deployment target "${name}" was changed by a command issued after this one (at ${state.changedAt}; this one at ${command.now}), before this one was carried out: carried out now, it would undo that change; to make it, send it again as a new request (another Idempotency-Key or command id)`, undefined, true);
}

/** The later of two times a target changed at: commands are carried out in another order than issued. */
const latest = (a: string | undefined, b: string): string => (a !== undefined && isLaterTime(a, b) ? a : b);

/** Deployment targets: spec immutable, metadata mutable, no delete while referenced. */
export const targetDecider: Decider<TargetState, TargetCommand, TargetEvent> = {
  initialState: () => ({ exists: false, version: 0 }),
  // 2: the state keeps `changedAt` (a snapshot of version 1 has none, and would judge no late command).
  snapshots: { name: 'deployment-target', version: 2 },

  evolve(state, event) {
    const version = state.version + 1;
    switch (event.type) {
      case TargetCreated.type: {
        const { id, createdAt, ...definition } = event.data;
        return { exists: true, version, changedAt: latest(state.changedAt, createdAt), target: { ...definition, id, createdAt, modifiedAt: createdAt, resourceVersion: version } };
      }
      case TargetMetadataUpdated.type: {
        const changedAt = latest(state.changedAt, event.data.modifiedAt);
        if (!state.exists) return { ...state, version, changedAt };
        return { exists: true, version, changedAt, target: { ...state.target, labels: event.data.labels, annotations: event.data.annotations, modifiedAt: event.data.modifiedAt, resourceVersion: version } };
      }
      case TargetDeleted.type:
        return { exists: false, version, changedAt: latest(state.changedAt, event.data.deletedAt) };
    }
  },

  decide(command, state) {
    const events = decideTarget(command, state);
    // Only a change is judged: a late write that changes nothing undoes nothing.
    if (events.length > 0) refuseIfSuperseded(command, state);
    return events;
  },
};

/** What a command makes of the target, before it is judged as late. */
function decideTarget(command: TargetCommand, state: TargetState): TargetEvent[] {
  switch (command.kind) {
    case 'create':
      if (state.exists) throw new DomainError('already-exists', `deployment target "${command.definition.name}" already exists in namespace "${command.definition.namespace}"`, 'metadata.name');
      return [created(command.definition, command.id, command.now)];
    case 'upsert':
      if (command.expectedVersion !== undefined) expectVersion(state, command.definition, command.expectedVersion);
      return state.exists ? updated(state.target, command.definition, command.now) : [created(command.definition, command.id, command.now)];
    case 'delete':
      if (!state.exists) throw new DomainError('not-found', `deployment target "${command.key.name}" not found in namespace "${command.key.namespace}"`);
      if (command.references > 0) {
        throw new DomainError('referenced', `deployment target "${command.key.name}" is referenced by ${command.references} deployment${command.references === 1 ? '' : 's'}; delete or move them first`);
      }
      return [{ type: TargetDeleted.type, data: { id: state.target.id, deletedAt: command.now } }];
  }
}
