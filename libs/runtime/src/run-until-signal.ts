import { Logger } from '@nestjs/common';

/** Starts a process's main part, then closes it cleanly on SIGINT/SIGTERM. */
export async function runUntilSignal(name: string, start: () => Promise<{ close(): Promise<void> }>): Promise<void> {
  const log = new Logger(name);
  try {
    const running = await start();
    // Plain stdout, whatever the log level: the embedded launcher waits for this line.
    console.log(`${name} ready`);
    const stop = async (signal: string) => {
      log.log(`${signal}: shutting down`);
      await running.close().catch((e: unknown) => log.error(String(e)));
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    log.error(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
