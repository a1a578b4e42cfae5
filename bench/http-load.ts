import { HttpConnection, type HttpCall } from './http-connection';

export type { HttpCall } from './http-connection';

export interface LoadResult {
  completed: number;
  failed: number;
  seconds: number;
  perSecond: number;
  latenciesMs: number[];
  statuses: Record<number, number>;
}

function tally(result: LoadResult, status: number): void {
  result.statuses[status] = (result.statuses[status] ?? 0) + 1;
  if (status >= 200 && status < 300) result.completed++;
  else result.failed++;
}

/**
 * Closed loop: `connections` workers, each sending its next request when the last
 * returns. `next` gets the worker and the worker's own request count, so a worker can
 * create something and then update it without racing the others.
 */
export async function closedLoop(url: string, connections: number, seconds: number, next: (worker: number, n: number) => HttpCall): Promise<LoadResult> {
  const base = new URL(url);
  const result: LoadResult = { completed: 0, failed: 0, seconds, perSecond: 0, latenciesMs: [], statuses: {} };
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async (_, worker) => {
    const connection = new HttpConnection(base.hostname, Number(base.port));
    for (let n = 0; performance.now() < deadline; n++) {
      const started = performance.now();
      tally(result, await connection.request(next(worker, n)).catch(() => 0));
      result.latenciesMs.push(performance.now() - started);
    }
    connection.close();
  }));
  result.perSecond = result.completed / seconds;
  return result;
}

/**
 * Open loop: requests start on a fixed schedule whatever the answers do, and latency is
 * measured from the scheduled start, so a stall shows up in the tail instead of
 * silently lowering the offered rate (no coordinated omission).
 */
export async function openLoop(url: string, ratePerSecond: number, seconds: number, next: (i: number) => HttpCall): Promise<LoadResult> {
  const base = new URL(url);
  // A connection per request in flight: idle ones are reused, new ones opened as needed.
  const idle: HttpConnection[] = [];
  const all: HttpConnection[] = [];
  const take = () => idle.pop() ?? (all.push(new HttpConnection(base.hostname, Number(base.port))), all[all.length - 1]!);
  const result: LoadResult = { completed: 0, failed: 0, seconds, perSecond: 0, latenciesMs: [], statuses: {} };
  const total = Math.round(ratePerSecond * seconds);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / ratePerSecond;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const connection = take();
    inFlight.push(connection.request(next(i)).catch(() => 0).then((status) => {
      tally(result, status);
      result.latenciesMs.push(performance.now() - scheduled);
      idle.push(connection);
    }));
  }
  await Promise.all(inFlight);
  for (const connection of all) connection.close();
  result.perSecond = result.completed / ((performance.now() - start) / 1000);
  return result;
}
