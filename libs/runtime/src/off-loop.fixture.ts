// Functions the off-loop test runs on a worker thread.
import { threadId } from 'node:worker_threads';
import { DomainError } from '@slipway/contracts';

export const whereRun = (): number => threadId;

export const echo = <T>(value: T): T => value;

export function refuse(message: string, field: string): never {
  throw new DomainError('invalid', message, field);
}

export function fail(message: string): never {
  throw new TypeError(message);
}

export function exit(code: number): never {
  process.exit(code);
}

/** Holds the worker's thread for `ms` (a large body's reading). */
export function spin(ms: number): number {
  const until = Date.now() + ms;
  let turns = 0;
  while (Date.now() < until) turns += 1;
  return turns;
}
