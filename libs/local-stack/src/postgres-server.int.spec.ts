import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startPostgres, type RunningPostgres } from './postgres-server';

/** The postmaster's pid, from its pid file's first line. */
const postmasterOf = (dataDir: string): number => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('the embedded Postgres the launcher starts', () => {
  let dir: string;
  let postgres: RunningPostgres | undefined;
  afterEach(async () => {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is seen to exit after it was stopped and continued (SIGSTOP, SIGCONT), so that it is started again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-pg-'));
    chmodSync(dir, 0o755); // run as root, the server's own user must reach its data
    const dataDir = join(dir, 'data');
    postgres = await startPostgres({ dataDir, durable: false });
    const pid = postmasterOf(dataDir);
    // given a postmaster stopped and continued by someone else (a debugger, a probe)
    process.kill(pid, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 500));
    process.kill(pid, 'SIGCONT');
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
    // when it is killed
    process.kill(pid, 'SIGKILL');
    // then its exit is seen (behind `runuser`, which stayed stopped, it was not)
    const seen = await Promise.race([postgres.exited, new Promise((resolve) => setTimeout(() => resolve('not seen'), 10_000))]);
    expect(seen).toBe('SIGKILL');
  });
});
