import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestDatabase, eventually, natsUrl, scratchDir, testBusPrefix } from '@slipway/testing';
import { freePort } from './free-port';

// The compiled launcher (the test command compiles dist/ first), as `npm start` runs it,
// on the test run's Postgres, NATS and control plane (so it starts only the apps).
const launcher = resolve(__dirname, '..', '..', '..', 'dist', 'libs', 'local-stack', 'src', 'embedded-cli.js');

describe('npm start\'s launcher', () => {
  it('starts an app that exits once Slipway is up again, and the others go on', async () => {
    const stateDir = scratchDir('embedded-restart');
    const port = await freePort();
    const adminToken = 'embedded-restart-admin-token-0123456789';
    const child = spawn(process.execPath, [launcher], {
      env: { ...process.env, DATABASE_URL: await createTestDatabase(), NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: testBusPrefix(), SLIPWAY_STATE_DIR: stateDir, SLIPWAY_PORT: String(port), SLIPWAY_ADMIN_TOKEN: adminToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const events = () => fetch(`http://127.0.0.1:${port}/api/v1/events?limit=1`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.status, () => 0);
    try {
      // given Slipway up
      await eventually(() => expect(output).toContain('Slipway is running at'), 120_000, 200);
      await eventually(async () => expect(await events()).toBe(200), 30_000, 200);

      // when the telemetry process is killed (the audit log's reader)
      const telemetry = Number(execFileSync('pgrep', ['-P', String(child.pid), '-f', 'telemetry/src/main.js']).toString().trim());
      process.kill(telemetry, 'SIGKILL');

      // then the launcher says so and starts it again; the log reads again, and the launcher still runs
      await eventually(() => expect(output).toContain(`telemetry exited (SIGKILL); see ${join(stateDir, 'logs', 'telemetry.log')}; starting it again in 1 s`), 30_000, 100);
      await eventually(() => expect(readFileSync(join(stateDir, 'logs', 'telemetry.log'), 'utf8').match(/telemetry ready/g)).toHaveLength(2), 60_000, 200);
      await eventually(async () => expect(await events()).toBe(200), 30_000, 200);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGINT');
    }
    // and Ctrl-C still stops everything it started
    expect(await exited).toBe(0);
  }, 240_000);
});
