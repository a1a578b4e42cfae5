import { Logger } from '@nestjs/common';
import { shownError } from '@slipway/bus';

/** Starts a process's main part, then closes it cleanly on SIGINT/SIGTERM, or when the launcher that started it is gone. */
export async function runUntilSignal(name: string, start: () => Promise<{ close(): Promise<void> }>): Promise<void> {
  const log = new Logger(name);
  let running: { close(): Promise<void> } | undefined;
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.log(`${why}: shutting down`);
    await running?.close().catch((e: unknown) => log.error(shownError(e)));
    process.exit(0);
  };
  // Started by a launcher over an IPC channel (npm start, the bench): when the launcher is
  // gone, killed before it could stop its apps, this app goes too instead of living on.
  if (process.connected) process.once('disconnect', () => void stop('launcher gone'));
  try {
    running = await start();
    // Plain stdout, whatever the log level: the embedded launcher waits for this line.
    console.log(`${name} ready`);
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    // Its words as they came, secret-looking values redacted (a connection string's password, say).
    log.error(`failed to start: ${shownError(error instanceof Error ? error.message : error)}`);
    process.exit(1);
  }
}
