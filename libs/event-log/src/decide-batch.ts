import { DomainError, reusedIdRefusal, type Reply } from '@slipway/contracts';
import type { Pool, PoolClient } from 'pg';
import { insertEvents, insertEventsStatement, type PendingEvent } from './append';
import { beginWithInputs, commitWithOutcomes, runStatements, type BatchInputs } from './batch-statements';
import { recordingClient } from './literal-sql';
import type { NewOutcome } from './command-outcomes';
import { onClient } from './database';
import type { AnyDecider, Decider } from './decider';
import type { Projection } from './projection';
import { noteSnapshotTaken, rememberedFold, rememberFold, snapshotTaken } from './remembered-folds';
import { foldBase, lastEventIdOf, snapshotDue, writeSnapshotStatement, type Folded, type StreamToRead } from './snapshots';
import type { EventMetadata, NewEvent } from './types';

export interface CommandContext {
  commandId: string;
  correlationId: string;
  causationId?: string;
  actor: string;
  /** The id of the access token the actor's request carried, if any (Actor.tokenId). */
  tokenId?: string;
  /** ISO-8601 time the command was issued; the decider's only clock. */
  issuedAt: string;
  /**
   * The command's fingerprint (commandFingerprint), recorded with its outcome: a command
   * sent later under the same id with another one is refused, not answered that outcome.
   */
  fingerprint?: string;
}

export interface StreamCommand<State, Command, Event extends NewEvent, Result> {
  subject: string;
  streamId: string;
  decider: Decider<State, Command, Event>;
  /** Builds the command inside the transaction, so it can read what the decision needs. */
  command: (tx: PoolClient) => Promise<Command> | Command;
  /** The reply value, from the state after the new events (and the one before them). */
  result: (after: State, events: Event[], before: State) => Result;
  /** Inline projections, applied to the new events in the same transaction. */
  projections?: Projection[];
  /**
   * `command` reads tables that inline projections write: in a batch, the events decided
   * before it are written and projected first, so it sees them as if it ran alone.
   */
  readsProjections?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStreamCommand = StreamCommand<any, any, NewEvent, unknown>;
export interface BatchItem { context: CommandContext; spec: AnyStreamCommand }

function metadataOf(context: CommandContext): EventMetadata {
  return {
    commandId: context.commandId, correlationId: context.correlationId,
    ...(context.causationId ? { causationId: context.causationId } : {}),
    actor: context.actor, ...(context.tokenId ? { tokenId: context.tokenId } : {}), schemaVersion: 1, occurredAt: context.issuedAt,
  };
}

/**
 * Decides a batch of commands in one transaction, in order: a command already handled
 * answers from its recorded outcome; the others fold their stream (including events
 * decided earlier in the same batch), decide, and refuse or append. The database sees
 * two round trips per batch (batch-statements.ts): BEGIN with the reads, then the events,
 * the projections that only write and the outcomes with COMMIT. Events that a live
 * projection applies to (or that a command reading projections must see) are written
 * first, with their positions read back, as before.
 * The transaction is committed when this returns; on a throw it is rolled back.
 */
export function decideBatch(pool: Pool, items: BatchItem[]): Promise<Reply[]> {
  return onClient(pool, async (tx) => {
    const inputs = await beginWithInputs(tx, items.map((i) => i.context.commandId), streamsToRead(pool, items));
    const writes = new BatchWrites(pool, tx);
    const replies = await decideIn(writes, items, inputs, (streamId, decider, folded, eventId, confirmed) => rememberFold(pool, streamId, decider.snapshots, folded, eventId, confirmed));
    await commitWithOutcomes(tx, writes.outcomes, writes.statements);
    if (writes.snapshotsAfterCommit.length > 0) writeSnapshotsAfterCommit(pool, writes.snapshotsAfterCommit);
    return replies;
  });
}

interface SnapshotAfterCommit { streamId: string; decider: AnyDecider; version: number; statement: () => string }

/**
 * The snapshots of streams whose deciders remember their folds, written once the command is
 * committed and answered, on a connection of their own: such a state may be tens of MB (a
 * namespace's applied manifests), whose snapshot held the command that took it 1.7 s, where
 * the process reading on from its remembered fold needs it only when it starts. Written after
 * the commit, a snapshot is still never ahead of the log; the newest of two wins (its
 * statement's ON CONFLICT). A snapshot is a cache: one that fails to be written leaves the one
 * before, and the next due writes it again. The version taken is known at once
 * (snapshotTaken), so that the commands meanwhile do not each take one again.
 */
function writeSnapshotsAfterCommit(pool: Pool, snapshots: readonly SnapshotAfterCommit[]): void {
  for (const { streamId, decider, version } of snapshots) noteSnapshotTaken(pool, streamId, decider.snapshots!, version);
  setImmediate(() => {
    void (async () => {
      for (const { streamId, statement } of snapshots) {
        try {
          await pool.query(statement());
        } catch (error) {
          // Its name and code only: a database's message may quote the state it was sent.
          const { name, code } = error as { name?: string; code?: string };
          console.warn(`snapshot of ${streamId} not written (${[name, code].filter(Boolean).join(' ')}): the next one due writes it`);
        }
      }
    })();
  });
}

/**
 * Each stream of the batch once, with its decider's snapshot policy when every command on
 * it folds it with that one decider (a snapshot is one decider's state).
 */
function streamsToRead(pool: Pool, items: BatchItem[]): StreamToRead[] {
  const deciders = new Map<string, Set<AnyDecider>>();
  for (const { spec } of items) deciders.set(spec.streamId, (deciders.get(spec.streamId) ?? new Set()).add(spec.decider));
  return [...deciders].map(([streamId, used]) => {
    const only = used.size === 1 ? [...used][0]! : undefined;
    const remembered = rememberedFold(pool, streamId, only?.snapshots);
    return { streamId, ...(only?.snapshots ? { snapshots: only.snapshots } : {}), ...(remembered ? { remembered } : {}) };
  });
}

type Pending = PendingEvent & { projections: Projection[] };

/** What a batch has decided and not yet sent: events, their projections' statements, outcomes. */
class BatchWrites {
  /** Literal statements to send with the next round trip. */
  readonly statements: string[] = [];
  /** Snapshots to write once the batch is committed (writeSnapshotsAfterCommit), each made then. */
  readonly snapshotsAfterCommit: SnapshotAfterCommit[] = [];
  readonly outcomes: NewOutcome[] = [];
  private events: Pending[] = [];

  constructor(readonly pool: Pool, readonly tx: PoolClient) {}

  get unsent(): boolean {
    return this.events.length > 0 || this.statements.length > 0;
  }

  queue(events: Pending[]): void {
    this.events.push(...events);
  }

  /**
   * Turns the queued events into statements. Write-only projections are recorded and
   * take no positions (they are assigned when the insert runs, in the commit message,
   * so they follow commit order as closely as an insert can). A live projection needs
   * the events in the table and their positions: then they are inserted now.
   */
  async project(): Promise<void> {
    const events = this.events;
    if (events.length === 0) return;
    this.events = [];
    const applicable = projectionRuns(events);
    const live = applicable.some(({ projection }) => !projection.writesOnly);
    let positions: number[] = events.map(() => 0);
    if (live) {
      await this.send();
      positions = await insertEvents(this.tx, events);
    } else {
      this.statements.push(insertEventsStatement(events));
    }
    const recorded = new Map(events.map((e, i) => {
      const { projections: _p, ...event } = e;
      return [e, { ...event, position: positions[i]!, transactionId: '', eventId: '' }];
    }));
    for (const { projection, mine } of applicable) {
      if (projection.writesOnly) {
        await projection.apply(recordingClient(this.statements), mine.map((e) => recorded.get(e)!));
      } else {
        await this.send();
        await projection.apply(this.tx, mine.map((e) => recorded.get(e)!));
      }
    }
  }

  /** Writes and projects everything decided so far, for a command that reads projections. */
  async flush(): Promise<void> {
    await this.project();
    await this.send();
  }

  private async send(): Promise<void> {
    await runStatements(this.tx, this.statements.splice(0));
  }
}

/**
 * The events each projection applies, in runs that keep the log's order. Commands of one
 * batch may name different objects for the same projection (storingSeals wraps it for a
 * command that seals values): grouped by object, a later command's events were applied
 * before an earlier one's, and a target deleted in the batch came back. So each projection,
 * by name, gets its events in order, a run for each stretch that names the same object.
 */
function projectionRuns(events: Pending[]): Array<{ projection: Projection; mine: Pending[] }> {
  const runs: Array<{ projection: Projection; mine: Pending[] }> = [];
  const current = new Map<string, { projection: Projection; mine: Pending[] }>();
  for (const event of events) {
    for (const projection of event.projections) {
      if (!projection.handles(event.type)) continue;
      const run = current.get(projection.name);
      if (run?.projection === projection) {
        run.mine.push(event);
      } else {
        const next = { projection, mine: [event] };
        runs.push(next);
        current.set(projection.name, next);
      }
    }
  }
  return runs;
}

/** A stream's state as one decider folded it, and the version its snapshot was at when read (0: none). */
interface StreamFold { decider: AnyDecider; folded: Folded<unknown>; from: number }

/** Keeps a fold of what the log holds (remembered-folds.ts). */
type Remember = (streamId: string, decider: AnyDecider, folded: Folded<unknown>, eventId: string | undefined, confirmed: boolean) => void;

async function decideIn(writes: BatchWrites, items: BatchItem[], { known, streams }: BatchInputs, remember: Remember): Promise<Reply[]> {
  const replies: Reply[] = [];
  const decided = new Map<string, { subject: string; reply: Reply; fingerprint?: string }>();
  const folds = new Map<string, StreamFold>();
  const foldOf = (spec: AnyStreamCommand): StreamFold => {
    const current = folds.get(spec.streamId);
    if (current?.decider === spec.decider) return current;
    // First use of the stream in the batch, or another decider than the last one: fold its base.
    const base = streams.get(spec.streamId)!;
    const fold = { decider: spec.decider, folded: foldBase(spec.decider, base), from: Math.max(base.snapshotVersion ?? 0, snapshotTaken(writes.pool, spec.streamId, spec.decider.snapshots)) };
    // What the log holds, before this batch decides: a fold taking in its events is not committed yet (lastEventIdOf).
    remember(spec.streamId, spec.decider, fold.folded, lastEventIdOf(base), !base.rememberedSetAside);
    folds.set(spec.streamId, fold);
    return fold;
  };
  for (const { context, spec } of items) {
    const prior = known.get(context.commandId) ?? decided.get(context.commandId);
    if (prior) {
      // Answered, not recorded again: the id's outcome is the first command's (unless this is another command).
      const reused = reusedIdRefusal(context.commandId, prior, { subject: spec.subject, fingerprint: context.fingerprint });
      replies.push(reused ? { ok: false, error: reused.toJSON() } : prior.reply);
      continue;
    }
    const fold = foldOf(spec);
    const { state, version } = fold.folded;
    // Outside the command's try: a failure writing earlier commands' events is the batch's, not this command's.
    if (spec.readsProjections && writes.unsent) await writes.flush();
    let reply: Reply;
    try {
      const events = spec.decider.decide(await spec.command(writes.tx), state);
      // Everything that can refuse runs before anything is queued for writing.
      const after = events.reduce(spec.decider.evolve, state);
      const value = spec.result(after, events, state);
      const metadata = metadataOf(context);
      const pending = events.map((event, i) => ({ ...event, streamId: spec.streamId, streamVersion: version + 1 + i, metadata }));
      writes.queue(pending.map((event) => ({ ...event, projections: spec.projections ?? [] })));
      // Another decider on the same stream later in the batch folds these too.
      streams.get(spec.streamId)!.events.push(...pending.map((event) => ({ ...event, position: 0, transactionId: '', eventId: '' })));
      fold.folded = { state: after, version: version + events.length };
      reply = { ok: true, value };
    } catch (error) {
      // Only a final refusal is the command's outcome; "retry shortly" is the transport's to handle.
      if (!(error instanceof DomainError) || !error.final) throw error;
      reply = { ok: false, error: error.toJSON() };
    }
    const outcome = { commandId: context.commandId, subject: spec.subject, reply, ...(context.fingerprint ? { fingerprint: context.fingerprint } : {}) };
    decided.set(context.commandId, outcome);
    writes.outcomes.push(outcome);
    replies.push(reply);
  }
  await writes.project();
  for (const [streamId, { decider, folded, from }] of folds) {
    if (decider.snapshots && snapshotDue(decider.snapshots, from, folded.version)) {
      const policy = decider.snapshots;
      if (policy.remember) writes.snapshotsAfterCommit.push({ streamId, decider, version: folded.version, statement: () => writeSnapshotStatement(policy, streamId, folded) });
      else writes.statements.push(writeSnapshotStatement(policy, streamId, folded));
    }
  }
  return replies;
}
