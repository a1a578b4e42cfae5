import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process of this id exists (one of another user's answers EPERM). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When the process of this id started, in clock ticks since boot (Linux's /proc); undefined
 * where that cannot be read. With the pid it names one process: a pid alone is used again,
 * after a reboot at once.
 */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: fields are counted after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the claim's words (a pid, and its start time where it was known) name a running process. */
function heldBy(words: string[]): number | undefined {
  const holder = Number(words[0]);
  if (!Number.isSafeInteger(holder) || holder <= 0 || holder === process.pid || !isRunning(holder)) return undefined;
  const started = words[1];
  if (started !== undefined && startTimeOf(holder) !== undefined && startTimeOf(holder) !== started) return undefined;
  return holder;
}

/**
 * One launcher per state directory: a second one found the first one's Postgres and NATS
 * on their ports, gave up, and as it cleaned up stopped them by their data directories (and
 * emptied the reaper's script). The claim is a file holding the launcher's pid and start
 * time, made only where none is; one left by a launcher that was killed (its process gone,
 * or its pid now another process's, as after the machine restarted) is taken over.
 * Returns what gives the claim up.
 */
export function claimStateDir(stateDir: string): () => void {
  const file = join(stateDir, 'launcher.pid');
  const claim = [process.pid, startTimeOf(process.pid)].filter((word) => word !== undefined).join(' ');
  for (;;) {
    try {
      writeFileSync(file, claim, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const written = readFileSync(file, 'utf8').trim();
      // Made but not written yet by a launcher starting at the same moment: it is that one's.
      if (written === '' && Date.now() - statSync(file).mtimeMs < 5_000) {
        throw new Error(`another npm start is starting on ${stateDir}: stop it first, or give this one a state directory of its own (SLIPWAY_STATE_DIR)`);
      }
      const holder = heldBy(written.split(/\s+/));
      if (holder !== undefined) {
        throw new Error(`another npm start runs on ${stateDir} (pid ${holder}): stop it first, or give this one a state directory of its own (SLIPWAY_STATE_DIR)`);
      }
      rmSync(file, { force: true });
    }
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === claim) rmSync(file, { force: true });
    } catch {
      // Gone already: nothing to give up.
    }
  };
}
