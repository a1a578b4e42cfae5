import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DomainError, isSlipwayError } from '@slipway/contracts';

/**
 * The worker's whole program: it requires the module, then calls the export each message
 * names and posts back its value or its refusal (a DomainError as it would cross the bus,
 * anything else by its message). Sources are TypeScript only in a test run, where the main
 * thread is compiled by jest: the worker compiles them with the build's SWC options.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.compile) require(workerData.compile);
const functions = require(workerData.module);
parentPort.on('message', ({ id, name, args }) => {
  let answer;
  try {
    answer = { id, value: functions[name](...args) };
    parentPort.postMessage(answer);
  } catch (error) {
    const refusal = typeof error?.toJSON === 'function' && error.name === 'DomainError' ? error.toJSON() : undefined;
    parentPort.postMessage({ id, refusal, message: refusal ? undefined : String(error?.message ?? error) });
  }
});
`;

const COMPILE_TYPESCRIPT = path.resolve(__dirname, '../../../scripts/register-ts.js');

interface Pending { resolve(value: unknown): void; reject(error: Error): void }

/**
 * Text from this many characters on is read on the worker (OffLoop.read): YAML takes its
 * reader about a second per MiB, some 30 ms below this; smaller text, nearly all, is read at
 * once, without the hand-over.
 */
export const READ_OFF_LOOP_FROM = 32 * 1024;

/** A call refused because as many as the OffLoop takes are waiting for its worker already. */
export class OffLoopBusy extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} calls are waiting for the worker`);
    this.name = 'OffLoopBusy';
  }
}

export interface OffLoopOptions {
  /** Calls that may wait for the worker (the one under way included); one past it is refused (OffLoopBusy). Unbounded by default. */
  maxWaiting?: number;
  /** How long an idle worker is kept before it is stopped (started again by the next call). */
  idleMs?: number;
}

interface Running { worker: Worker; calls: Map<number, Pending>; idle?: NodeJS.Timeout }

/**
 * Runs the exported functions of one module on a worker thread of their own, one call at a
 * time: work that grows with a request's size (a MiB of YAML takes the parser about a second)
 * then no longer holds the event loop every other request of the process waits on. Arguments
 * and values cross by structured clone. The worker starts on the first call, keeps the process
 * alive only while a call is under way, is stopped once idle for `idleMs`, and is started again
 * after it dies (which fails the calls it held). What waits for it is bounded by `maxWaiting`
 * (each waiting call holds its arguments); its heap is not: Node's bound is best-effort (some
 * allocations past it abort the whole process, nodejs/node#47224), so what it is given must be
 * bounded already, as bodies are.
 */
export class OffLoop {
  private running: Running | undefined;
  private nextId = 0;

  constructor(private readonly moduleFile: string, private readonly options: OffLoopOptions = {}) {}

  run<T>(name: string, ...args: unknown[]): Promise<T> {
    const running = this.running ?? this.start();
    const { worker, calls } = running;
    if (calls.size >= (this.options.maxWaiting ?? Infinity)) return Promise.reject(new OffLoopBusy(calls.size));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      // A call under way keeps the process alive, as any I/O does; an idle worker does not.
      if (calls.size === 0) {
        clearTimeout(running.idle);
        worker.ref();
      }
      calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        worker.postMessage({ id, name, args });
      } catch (error) {
        this.settled(running, id);
        reject(error as Error);
      }
    });
  }

  /** `read(text)` at once when the text is short, else the module's export `name` (the same function) on the worker. */
  async read<T>(text: string, name: string, read: (text: string) => T): Promise<T> {
    return text.length < READ_OFF_LOOP_FROM ? read(text) : this.run<T>(name, text);
  }

  /**
   * The export `name` run on the worker for work done ahead of where it is needed (a command's
   * texts before it seals them), all of `items` in one call, when they come to
   * READ_OFF_LOOP_FROM `characters` or more together: undefined when they are fewer (cheaper
   * done where needed) or the worker failed or answered another number (done there too: slower,
   * as right).
   */
  async ahead<T>(name: string, items: unknown[], characters: number): Promise<T[] | undefined> {
    if (characters < READ_OFF_LOOP_FROM) return undefined;
    const answers = await this.run<T[]>(name, items).catch(() => undefined);
    return Array.isArray(answers) && answers.length === items.length ? answers : undefined;
  }

  /** Stops the worker; calls it held are failed. */
  async close(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    clearTimeout(running.idle);
    await running.worker.terminate();
  }

  private start(): Running {
    const compile = this.moduleFile.endsWith('.ts') ? COMPILE_TYPESCRIPT : undefined;
    const worker = new Worker(PROGRAM, { eval: true, workerData: { module: this.moduleFile, compile } });
    const running: Running = { worker, calls: new Map<number, Pending>() };
    worker.on('message', (answer: { id: number; value?: unknown; refusal?: unknown; message?: string }) => {
      const call = running.calls.get(answer.id);
      if (!call) return;
      this.settled(running, answer.id);
      if (isSlipwayError(answer.refusal)) call.reject(DomainError.from(answer.refusal));
      else if (answer.message !== undefined) call.reject(new Error(answer.message));
      else call.resolve(answer.value);
    });
    // An error is followed by the exit: the first of the two says why the calls failed.
    const fail = (error: Error) => {
      if (this.running === running) this.running = undefined;
      clearTimeout(running.idle);
      for (const call of running.calls.values()) call.reject(error);
      running.calls.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the worker running ${path.basename(this.moduleFile)} exited (${code})`)));
    // After the listeners: adding a message listener holds the process again.
    worker.unref();
    this.running = running;
    return running;
  }

  private settled(running: Running, id: number): void {
    running.calls.delete(id);
    if (running.calls.size > 0) return;
    running.worker.unref();
    // Its modules and heap are let go when it is not needed for a while (a test file's registry, a quiet gateway).
    running.idle = setTimeout(() => {
      if (this.running !== running || running.calls.size > 0) return;
      this.running = undefined;
      void running.worker.terminate();
    }, this.options.idleMs ?? 30_000).unref();
  }
}
