import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far, per role, by this process and everything it started (Linux /proc). */
export type CpuSnapshot = Map<string, number>;

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the bench runs on

interface ProcEntry { pid: number; ppid: number; cpuSeconds: number; role: string }

function roleOf(pid: number, comm: string): string {
  if (pid === process.pid) return 'load generator';
  let cmdline = '';
  try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '); } catch { /* exited */ }
  const app = /dist\/apps\/([\w-]+)\//.exec(cmdline);
  if (app) return app[1]!;
  if (comm.startsWith('postgres') || cmdline.includes('postgres')) return 'postgres';
  if (comm.includes('nats-server')) return 'nats-server';
  return comm;
}

function readEntry(pid: number): ProcEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const ppid = Number(fields[1]);
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    return { pid, ppid, cpuSeconds, role: roleOf(pid, comm) };
  } catch {
    return undefined;
  }
}

/** CPU used by this process's tree, summed per role (app name, postgres, nats-server, load generator). */
export function cpuSnapshot(): CpuSnapshot {
  const entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readEntry(Number(d))).filter((e) => e !== undefined);
  const children = new Map<number, ProcEntry[]>();
  for (const e of entries) children.set(e.ppid, [...(children.get(e.ppid) ?? []), e]);
  const snapshot: CpuSnapshot = new Map();
  const visit = (e: ProcEntry) => {
    snapshot.set(e.role, (snapshot.get(e.role) ?? 0) + e.cpuSeconds);
    for (const child of children.get(e.pid) ?? []) visit(child);
  };
  const self = entries.find((e) => e.pid === process.pid);
  if (self) visit(self);
  return snapshot;
}

/** CPU milliseconds per unit of work, per role, between two snapshots, busiest first. */
export function cpuPerUnit(before: CpuSnapshot, after: CpuSnapshot, units: number): Array<[string, number]> {
  return [...after.entries()]
    .map(([role, seconds]) => [role, ((seconds - (before.get(role) ?? 0)) * 1000) / units] as [string, number])
    .filter(([, ms]) => ms > 0.001)
    .sort((a, b) => b[1] - a[1]);
}
