import { Agent, request } from 'node:http';

export interface HttpCall {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  completed: number;
  failed: number;
  seconds: number;
  perSecond: number;
  latenciesMs: number[];
  statuses: Record<number, number>;
}

function call(agent: Agent, base: URL, c: HttpCall): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: base.hostname, port: base.port, method: c.method, path: c.path, headers: { ...c.headers, ...(c.body ? { 'content-length': Buffer.byteLength(c.body) } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    if (c.body) req.write(c.body);
    req.end();
  });
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
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const result: LoadResult = { completed: 0, failed: 0, seconds, perSecond: 0, latenciesMs: [], statuses: {} };
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async (_, worker) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const started = performance.now();
      tally(result, await call(agent, base, next(worker, n)).catch(() => 0));
      result.latenciesMs.push(performance.now() - started);
    }
  }));
  agent.destroy();
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
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const result: LoadResult = { completed: 0, failed: 0, seconds, perSecond: 0, latenciesMs: [], statuses: {} };
  const total = Math.round(ratePerSecond * seconds);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / ratePerSecond;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(call(agent, base, next(i)).catch(() => 0).then((status) => {
      tally(result, status);
      result.latenciesMs.push(performance.now() - scheduled);
    }));
  }
  await Promise.all(inFlight);
  agent.destroy();
  result.perSecond = result.completed / ((performance.now() - start) / 1000);
  return result;
}
