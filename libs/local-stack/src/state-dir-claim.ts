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
 * One launcher per state directory: a second one found the first one's Postgres and NATS
 * on their ports, gave up, and as it cleaned up stopped them by their data directories (and
 * emptied the reaper's script). The claim is a file holding the launcher's pid, made only
 * where none is; one left by a launcher that was killed (its pid gone) is taken over.
 * Returns what gives the claim up.
 */
export function claimStateDir(stateDir: string): () => void {
  const file = join(stateDir, 'launcher.pid');
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const written = readFileSync(file, 'utf8').trim();
      // Made but not written yet by a launcher starting at the same moment: it is that one's.
      if (written === '' && Date.now() - statSync(file).mtimeMs < 5_000) {
        throw new Error(`another npm start is starting on ${stateDir}: stop it first, or give this one a state directory of its own (SLIPWAY_STATE_DIR)`);
      }
      const holder = Number(written);
      if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new Error(`another npm start runs on ${stateDir} (pid ${holder}): stop it first, or give this one a state directory of its own (SLIPWAY_STATE_DIR)`);
      }
      rmSync(file, { force: true });
    }
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
    } catch {
      // Gone already: nothing to give up.
    }
  };
}
