import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { withEmbeddedDatabase } from './database-alone';

/**
 * `node database-alone-cli.js <state directory> <script> [arguments]`: runs the script (with
 * this Node) against the embedded default's database, started for it while npm start is
 * stopped (database-alone.ts), and exits with the script's status. Ctrl-C reaches the script
 * (the terminal's process group); this process waits for it to end, then stops the database.
 */
const [stateDir, script, ...args] = process.argv.slice(2);
if (!stateDir || !script) {
  console.error('usage: database-alone-cli <state directory> <script> [arguments]');
  process.exit(2);
}
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);

withEmbeddedDatabase(resolve(stateDir), (url) => new Promise<number>((done) => {
  const child = spawn(process.execPath, ['--enable-source-maps', script, ...args], { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url } });
  child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  child.on('error', (error) => { console.error(error.message); done(2); });
})).then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
