import 'reflect-metadata';
import { Controller, Inject, Module, type DynamicModule, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/nats-core';
import { command, DomainError, GetCommandStatus, query, type CommandEnvelope, type ErrorCode, type QueryEnvelope } from '@slipway/contracts';
import { createPool, findOutcome, handleCommand, migrate, NewerProjectionRules, readEventAt, recordDeadLettered, recordOutcomeOnce, recordRetryable, type RecordedEvent, type StreamCommand } from '@slipway/event-log';
import { eventually } from '@slipway/testing';
// The runtime's index does not re-export it (and importing the index would cycle back
// into the bus); tsconfig maps no `@slipway/runtime/*`, hence the relative path.
import { PassThroughFilter } from '@slipway/runtime';
import { Client, type Pool } from 'pg';
import { z } from 'zod';
import type { Bus } from './bus';
import { decode, encode } from './codec';
import { commandStatus } from './command-status';
import { ERASED_AFTER_HANDLING, erasedWhen, JetStreamContext } from './jetstream-options';
import { JetStreamServer } from './jetstream.server';
import { commandContext } from './parse';

/**
 * A tiny service ("probe") for the transport's integration tests: real Nest, real
 * JetStream, real Postgres. Each handler misbehaves in one way and records what it saw.
 */

const flaky = z.object({ failTimes: z.number().int().min(0), crashAfterCommit: z.boolean().optional(), replyBytes: z.number().int().positive().optional() }).strict();
/** Fails (plain Error, after appending, inside the transaction) the first `failTimes` deliveries. */
export const ProbeFlaky = command<typeof flaky, { count: number }>('cmd.probe.flaky.v1', flaky);
/** Always throws a plain Error. */
export const ProbeBroken = command<z.ZodObject, never>('cmd.probe.broken.v1', z.object({}));
/** Always refuses with a DomainError. */
export const ProbeRefuse = command<z.ZodObject, never>('cmd.probe.refuse.v1', z.object({}));
export const ProbeUnavailable = command<z.ZodObject, never>('cmd.probe.unavailable.v1', z.object({}));
/** Carries a secret (erased after handling) and always fails. */
export const ProbeSecretBroken = command<z.ZodObject, never>('cmd.probe.secret-broken.v1', z.object({ password: z.string() }));
/**
 * Refused "retry shortly" on its first try, handled (appending, as ProbeFlaky does) on any
 * later one; erased after handling when it carries a password.
 */
export const ProbeBusyOnce = command<z.ZodObject, { count: number }>('cmd.probe.busy-once.v1', z.object({ password: z.string().optional() }));
/** Defined (so COMMANDS takes it) but handled by no probe: a later version's command, say. */
export const ProbeUnhandled = command<z.ZodObject, never>('cmd.probe.unhandled.v1', z.object({}).passthrough());
/** Taken by COMMANDS, consumed by nobody: a message that stays in the stream's files. */
export const Unconsumed = command<z.ZodString, never>('cmd.nobody.control.v1', z.string());
const echo = z.object({ text: z.string(), repeat: z.number().int().positive().optional(), refuse: z.boolean().optional(), crash: z.boolean().optional(), databaseDown: z.boolean().optional() });
export const ProbeEcho = query<typeof echo, { text: string }>('qry.probe.echo.v1', echo);

export const PROBE_EVENT = 'probe.happened.v1';
/** An event the probe consumes from EVENTS (a test appends it to the log directly). */
export const PROBE_NOTICED = 'probe.noticed.v1';

/** What the handlers saw, keyed by command id. */
export class ProbeRecorder {
  readonly deliveries = new Map<string, number[]>();
  /** The probe stands for an instance of the version before a newer one rebuilt its projection: ProbeFlaky is refused its writers' turn. */
  olderRules = false;
  /** The data of each PROBE_NOTICED event its handler was given. */
  readonly noticed: unknown[] = [];
  /** How often each PROBE_NOTICED event (by id) was given to its handler. */
  readonly eventTries = new Map<string, number>();
  calls = 0;
  private readonly held = new Map<string, Promise<void>>();

  /**
   * Holds the handling of `commandId`'s deliveries (after they are recorded) until the
   * returned release is called: a test can act while a command is taken but not answered.
   */
  hold(commandId: string): () => void {
    let release!: () => void;
    this.held.set(commandId, new Promise<void>((resolve) => { release = resolve; }));
    return () => { this.held.delete(commandId); release(); };
  }

  /** Resolves once `commandId` is not held. */
  released(commandId: string): Promise<void> {
    return this.held.get(commandId) ?? Promise.resolve();
  }

  record(envelope: CommandEnvelope, ctx: JetStreamContext): number {
    this.calls++;
    const delivery = (ctx.getArgs()[1] as JsMsg).info.deliveryCount;
    this.deliveries.set(envelope.commandId, [...(this.deliveries.get(envelope.commandId) ?? []), delivery]);
    return this.deliveries.get(envelope.commandId)!.length;
  }

  attempts(commandId: string): number {
    return this.deliveries.get(commandId)?.length ?? 0;
  }
}

const POOL = Symbol('POOL');
const RECORDER = Symbol('RECORDER');

interface Counter { count: number }

function probeCommand(envelope: CommandEnvelope, failNow: boolean, subject = ProbeFlaky.subject): StreamCommand<Counter, string, { type: string; data: { commandId: string } }, { count: number }> {
  return {
    subject,
    streamId: `probe-${envelope.commandId}`,
    decider: {
      initialState: () => ({ count: 0 }),
      evolve: (state) => ({ count: state.count + 1 }),
      decide: (commandId) => [{ type: PROBE_EVENT, data: { commandId } }],
    },
    command: () => envelope.commandId,
    // `replyBytes` pads the reply, to try a reply bigger than the bus carries.
    result: (after) => {
      const bytes = (envelope.payload as { replyBytes?: number }).replyBytes;
      return bytes ? { count: after.count, padding: 'x'.repeat(bytes) } : { count: after.count };
    },
    projections: [{
      name: 'probe-effects',
      tables: ['probe_effects'],
      handles: (type) => type === PROBE_EVENT,
      async apply(tx, events) {
        for (const event of events) {
          await tx.query('INSERT INTO probe_effects (command_id, position) VALUES ($1, $2)', [envelope.commandId, event.position]);
        }
        // After the append and the side effect: the rollback must undo both.
        if (failNow) throw new Error('probe: transient failure after the append');
      },
    }],
  };
}

@Controller()
class ProbeController {
  constructor(@Inject(POOL) private readonly pool: Pool, @Inject(RECORDER) private readonly recorder: ProbeRecorder) {}

  @MessagePattern(ProbeFlaky.subject)
  async flaky(@Payload() envelope: CommandEnvelope<z.infer<typeof flaky>>, @Ctx() ctx: JetStreamContext) {
    const attempt = this.recorder.record(envelope, ctx);
    if (this.recorder.olderRules) throw new NewerProjectionRules('probe-effects', 2, 1);
    await this.recorder.released(envelope.commandId);
    const { failTimes, crashAfterCommit } = envelope.payload;
    const reply = await handleCommand(this.pool, commandContext(envelope), probeCommand(envelope, !crashAfterCommit && attempt <= failTimes));
    // Committed, but the process "dies" before the ack: JetStream must redeliver.
    if (crashAfterCommit && attempt <= failTimes) throw new Error('probe: crashed after commit, before ack');
    return reply;
  }

  @MessagePattern(ProbeBroken.subject)
  broken(@Payload() envelope: CommandEnvelope, @Ctx() ctx: JetStreamContext) {
    this.recorder.record(envelope, ctx);
    throw new Error('probe is broken');
  }

  /** A command carrying a secret whose handler always fails: dead-lettered, and erased. */
  @MessagePattern(ProbeSecretBroken.subject, ERASED_AFTER_HANDLING)
  secretBroken(@Payload() envelope: CommandEnvelope, @Ctx() ctx: JetStreamContext) {
    this.recorder.record(envelope, ctx);
    throw new Error('probe is broken');
  }

  @MessagePattern(ProbeBusyOnce.subject, erasedWhen((payload) => (payload as { password?: string }).password !== undefined))
  async busyOnce(@Payload() envelope: CommandEnvelope, @Ctx() ctx: JetStreamContext) {
    if (this.recorder.record(envelope, ctx) === 1) throw new DomainError('unavailable', 'probe is busy; retry shortly');
    return handleCommand(this.pool, commandContext(envelope), probeCommand(envelope, false, ProbeBusyOnce.subject));
  }

  @MessagePattern(ProbeRefuse.subject)
  refuse(@Payload() envelope: CommandEnvelope, @Ctx() ctx: JetStreamContext) {
    this.recorder.record(envelope, ctx);
    throw new DomainError('conflict', 'probe refuses');
  }

  @MessagePattern(ProbeUnavailable.subject)
  unavailable(@Payload() envelope: CommandEnvelope, @Ctx() ctx: JetStreamContext) {
    this.recorder.record(envelope, ctx);
    throw new DomainError('unavailable', 'probe is busy; retry shortly');
  }

  /** An event whose data says `refuse` is refused with that code its first `times` deliveries. */
  @EventPattern(`evt.${PROBE_NOTICED}`)
  notice(@Payload() event: RecordedEvent) {
    const refuse = (event.data as { refuse?: { code: ErrorCode; times: number } } | null)?.refuse;
    const tries = (this.recorder.eventTries.get(event.eventId) ?? 0) + 1;
    this.recorder.eventTries.set(event.eventId, tries);
    if (refuse && tries <= refuse.times) throw new DomainError(refuse.code, `probe refuses event ${event.eventId}`);
    this.recorder.noticed.push(event.data);
  }

  @MessagePattern(ProbeEcho.subject)
  async echo(@Payload() envelope: QueryEnvelope<z.infer<typeof echo>>) {
    if (envelope.payload.refuse) throw new DomainError('not-found', `no ${envelope.payload.text}`);
    if (envelope.payload.crash) throw new Error('probe query crashed');
    // A Postgres that refuses connections, as one stopped does: nothing listens on port 1.
    if (envelope.payload.databaseDown) await new Client({ connectionString: 'postgres://probe@127.0.0.1:1/probe', connectionTimeoutMillis: 2_000 }).connect();
    return { text: envelope.payload.text.repeat(envelope.payload.repeat ?? 1), actor: envelope.actor?.principal ?? null };
  }
}

@Module({})
class ProbeModule {
  static forRoot(pool: Pool, recorder: ProbeRecorder): DynamicModule {
    return {
      module: ProbeModule,
      controllers: [ProbeController],
      providers: [{ provide: POOL, useValue: pool }, { provide: RECORDER, useValue: recorder }],
    };
  }
}

export interface RunningProbe {
  app: INestMicroservice;
  pool: Pool;
  recorder: ProbeRecorder;
  close(): Promise<void>;
}

export async function startProbe(options: {
  natsUrl: string; prefix: string; databaseUrl: string; maxDeliveries?: number;
  /** Holds each record of a retryable refusal this long first, as a busy database would. */
  slowRetryableRecordMs?: number;
  inFlight?: number;
  /** An instance of the version before a newer one rebuilt its projection (ProbeRecorder.olderRules). */
  olderRules?: boolean;
}): Promise<RunningProbe> {
  await migrate(options.databaseUrl);
  const pool = createPool(options.databaseUrl);
  await pool.query('CREATE TABLE IF NOT EXISTS probe_effects (command_id text NOT NULL, position bigint NOT NULL)');
  const recorder = new ProbeRecorder();
  recorder.olderRules = options.olderRules === true;
  const strategy = new JetStreamServer({
    url: options.natsUrl, prefix: options.prefix, service: 'probe', maxDeliveries: options.maxDeliveries ?? 3, inFlight: options.inFlight,
    recordRefusal: (refusal) => recordOutcomeOnce(pool, refusal),
    recordDeadLettered: (refusal) => recordDeadLettered(pool, refusal),
    recordRetryable: async (refusal) => {
      if (options.slowRetryableRecordMs) await new Promise((r) => setTimeout(r, options.slowRetryableRecordMs));
      await recordRetryable(pool, refusal);
    },
    readEvent: (position) => readEventAt(pool, position),
  });
  const app = await NestFactory.createMicroservice(ProbeModule.forRoot(pool, recorder), { strategy, logger: false });
  app.useGlobalFilters(new PassThroughFilter());
  await app.listen();
  return {
    app, pool, recorder,
    async close() {
      await app.close();
      await pool.end();
    },
  };
}

/** Stands in for the telemetry service's command-status query, over the probe's outcomes table. */
export function answerCommandStatus(bus: Bus, pool: Pool): Subscription {
  return bus.nc.subscribe(bus.subject(GetCommandStatus.subject), {
    callback: (error, msg) => {
      if (error) return;
      const { commandId } = decode<QueryEnvelope<{ commandId: string }>>(msg.data).payload;
      void commandStatus(pool, bus, commandId).then((status) => msg.respond(encode({ ok: true, value: status })));
    },
  });
}

/**
 * That the bus itself retried a ProbeUnavailable command at each of the probe's 3 allowed
 * deliveries and then recorded the refusal as its outcome (nobody was waiting for it).
 */
export async function expectRetriedThenGivenUp(probe: RunningProbe, commandId: string): Promise<void> {
  // (retried 1 s, then 5 s after a delivery, each of which may wait for a sender's answer or a slow
  // record: some 20 s in all, fixed, before anything a loaded machine adds)
  const outcome = await eventually(async () => {
    const found = await findOutcome(probe.pool, commandId);
    expect(found).toBeDefined();
    return found!;
  }, 50_000, 200);
  expect(probe.recorder.deliveries.get(commandId)).toEqual([1, 2, 3]);
  expect(outcome.reply).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('tried 3 times; gave up') } });
}
