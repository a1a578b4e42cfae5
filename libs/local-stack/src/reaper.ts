import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A word the shell reads back as itself. */
export const shellQuote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Cleans up after a process that cannot clean up after itself: a test run or bench killed
 * by SIGKILL, or by SIGPIPE when its output is piped into `head`, never runs its teardown,
 * and the servers it started would keep running (the idea of testcontainers' Ryuk). A
 * detached shell waits for `parent` to exit, then runs the stop commands registered so far
 * and removes `dir` — unless the parent stopped the reaper first, as its teardown does.
 * Commands go to a file in `dir`, so servers can register as they start.
 */
export class Reaper {
  private constructor(private readonly script: string, readonly pid: number) {}

  static start(dir: string, options: { removeDir: boolean; parent?: number }): Reaper {
    const script = join(dir, 'reap.sh');
    writeFileSync(script, '');
    const parent = options.parent ?? process.pid;
    const body = [
      `while kill -0 ${parent} 2>/dev/null; do sleep 1; done`,
      `bash ${shellQuote(script)}`,
      ...(options.removeDir ? [`rm -rf ${shellQuote(dir)}`] : []),
    ].join('\n');
    const child = spawn('bash', ['-c', body], { detached: true, stdio: 'ignore' });
    child.unref();
    return new Reaper(script, child.pid!);
  }

  /** A shell command that stops a server without help from this process. */
  add(command: string): void {
    appendFileSync(this.script, `${command}\n`);
  }

  /** The parent is cleaning up itself: the reaper goes without doing anything. */
  stop(): void {
    try {
      process.kill(-this.pid, 'SIGKILL'); // its process group: the shell and its `sleep`
    } catch {
      // Gone already.
    }
  }
}
