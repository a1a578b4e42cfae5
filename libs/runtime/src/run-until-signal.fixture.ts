import { appendFileSync } from 'node:fs';
import { runUntilSignal } from './run-until-signal';

/** An app for run-until-signal.int.spec.ts: writes to the file it is given when it closes. */
const marker = process.argv[2]!;
void runUntilSignal('fixture', async () => ({
  close: async () => appendFileSync(marker, 'closed\n'),
}));
