import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * What each role has used so far, for this process and everything it started (Linux /proc):
 * CPU seconds, system calls (reads and writes), and context switches of all its threads.
 * On a VM a system call or a wakeup costs tens of microseconds, so these explain CPU time.
 */
export interface Usage { cpuSeconds: number; syscalls: number; switches: number }
export type CpuSnapshot = Map<string, Usage>;

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the bench runs on

interface ProcEntry extends Usage { pid: number; ppid: number; role: string }

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

/** A field of a /proc key-value file ("name: value" or "name value"), 0 when unreadable. */
function field(text: string, name: string): number {
  const match = new RegExp(`^${name}:?\\s+(\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

function readText(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

function switchesOf(pid: number): number {
  let tasks: string[] = [];
  try { tasks = readdirSync(`/proc/${pid}/task`); } catch { /* exited */ }
  return tasks.reduce((sum, task) => {
    const status = readText(`/proc/${pid}/task/${task}/status`);
    return sum + field(status, 'voluntary_ctxt_switches') + field(status, 'nonvoluntary_ctxt_switches');
  }, 0);
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
    const io = readText(`/proc/${pid}/io`);
    const syscalls = field(io, 'syscr') + field(io, 'syscw');
    return { pid, ppid, cpuSeconds, syscalls, switches: switchesOf(pid), role: roleOf(pid, comm) };
  } catch {
    return undefined;
  }
}

/** The processes of this process's tree: itself and everything it started, at any depth. */
function treeEntries(): ProcEntry[] {
  const entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readEntry(Number(d))).filter((e) => e !== undefined);
  const children = new Map<number, ProcEntry[]>();
  for (const e of entries) children.set(e.ppid, [...(children.get(e.ppid) ?? []), e]);
  const tree: ProcEntry[] = [];
  const visit = (e: ProcEntry) => {
    tree.push(e);
    for (const child of children.get(e.pid) ?? []) visit(child);
  };
  const self = entries.find((e) => e.pid === process.pid);
  if (self) visit(self);
  return tree;
}

/** Usage of this process's tree, summed per role (app name, postgres, nats-server, load generator). */
export function cpuSnapshot(): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  for (const e of treeEntries()) {
    const sum = snapshot.get(e.role) ?? { cpuSeconds: 0, syscalls: 0, switches: 0 };
    snapshot.set(e.role, { cpuSeconds: sum.cpuSeconds + e.cpuSeconds, syscalls: sum.syscalls + e.syscalls, switches: sum.switches + e.switches });
  }
  return snapshot;
}

/**
 * Starts measuring the peak resident memory of a role's processes anew (Linux: writing 5 to
 * clear_refs resets VmHWM to the current RSS), and returns their RSS now, in bytes.
 */
export function resetPeakMemory(role: string): number {
  const processes = treeEntries().filter((e) => e.role === role);
  for (const { pid } of processes) {
    try { writeFileSync(`/proc/${pid}/clear_refs`, '5'); } catch { /* exited, or not allowed: the peak then counts from its start */ }
  }
  return processes.reduce((sum, { pid }) => sum + field(readText(`/proc/${pid}/status`), 'VmRSS') * 1024, 0);
}

/** The peak resident memory of a role's processes since resetPeakMemory, in bytes (summed over them). */
export function peakMemory(role: string): number {
  return treeEntries().filter((e) => e.role === role).reduce((sum, { pid }) => sum + field(readText(`/proc/${pid}/status`), 'VmHWM') * 1024, 0);
}

export interface PerUnit { role: string; cpuMs: number; syscalls: number; switches: number }

/** Usage per unit of work, per role, between two snapshots, busiest first. */
export function cpuPerUnit(before: CpuSnapshot, after: CpuSnapshot, units: number): PerUnit[] {
  return [...after.entries()]
    .map(([role, used]) => {
      const was = before.get(role) ?? { cpuSeconds: 0, syscalls: 0, switches: 0 };
      return { role, cpuMs: ((used.cpuSeconds - was.cpuSeconds) * 1000) / units, syscalls: (used.syscalls - was.syscalls) / units, switches: (used.switches - was.switches) / units };
    })
    .filter((u) => u.cpuMs > 0.001)
    .sort((a, b) => b.cpuMs - a.cpuMs);
}
