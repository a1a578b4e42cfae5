import { appendFileSync } from 'node:fs';
import { runUntilSignal } from './run-until-signal';

/**
 * An app for run-until-signal.int.spec.ts: writes to the file it is given when it closes. With
 * `start-fails` or `close-fails` and a secret, that step fails with an error quoting the secret.
 */
const [marker, fails, secret] = process.argv.slice(2);
const failure = () => new Error(`could not connect to postgres://slipway:${secret}@127.0.0.1:5432/slipway`);
void runUntilSignal('fixture', async () => {
  if (fails === 'start-fails') throw failure();
  return {
    close: async () => {
      appendFileSync(marker!, 'closed\n');
      if (fails === 'close-fails') throw failure();
    },
  };
});
