import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { holdsTokenSecret } from '@slipway/contracts';
import { createTestDatabase, eventually, natsUrl, scratchDir, testBusPrefix } from '@slipway/testing';
import { createServer } from 'node:net';
import { freePort } from './free-port';

// The compiled launcher (the test command compiles dist/ first), as `npm start` runs it,
// on the test run's Postgres, NATS and control plane (so it starts only the apps).
const launcher = resolve(__dirname, '..', '..', '..', 'dist', 'libs', 'local-stack', 'src', 'embedded-cli.js');

/** The launcher as `npm start` runs it, with `env` over the test run's (undefined: left out); its output gathered. */
function launch(env: Record<string, string | undefined>) {
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined));
  const child = spawn(process.execPath, [launcher], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  const run = { child, output: '', exited: new Promise<number | null>((done) => child.once('exit', (code) => done(code))) };
  child.stdout!.on('data', (chunk: Buffer) => { run.output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { run.output += chunk.toString(); });
  return run;
}

describe('npm start\'s launcher', () => {
  it('starts an app that exits once Slipway is up again, and the others go on', async () => {
    const stateDir = scratchDir('embedded-restart');
    const port = await freePort();
    const adminToken = 'embedded-restart-admin-token-0123456789';
    const run = launch({ DATABASE_URL: await createTestDatabase(), NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: testBusPrefix(), SLIPWAY_STATE_DIR: stateDir, SLIPWAY_PORT: String(port), SLIPWAY_ADMIN_TOKEN: adminToken });
    const events = () => fetch(`http://127.0.0.1:${port}/api/v1/events?limit=1`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.status, () => 0);
    try {
      // given Slipway up
      await eventually(() => expect(run.output).toContain('Slipway is running at'), 120_000, 200);
      await eventually(async () => expect(await events()).toBe(200), 30_000, 200);

      // when the telemetry process is killed (the audit log's reader)
      const telemetry = Number(execFileSync('pgrep', ['-P', String(run.child.pid), '-f', 'telemetry/src/main.js']).toString().trim());
      process.kill(telemetry, 'SIGKILL');

      // then the launcher says so and starts it again; the log reads again, and the launcher still runs
      await eventually(() => expect(run.output).toContain(`telemetry exited (SIGKILL); see ${join(stateDir, 'logs', 'telemetry.log')}; starting it again in 1 s`), 30_000, 100);
      await eventually(() => expect(readFileSync(join(stateDir, 'logs', 'telemetry.log'), 'utf8').match(/telemetry ready/g)).toHaveLength(2), 60_000, 200);
      await eventually(async () => expect(await events()).toBe(200), 30_000, 200);
      expect(run.child.exitCode).toBeNull();
    } finally {
      run.child.kill('SIGINT');
    }
    // and Ctrl-C still stops everything it started
    expect(await run.exited).toBe(0);
  }, 240_000);

  it('ends the admin token SLIPWAY_ADMIN_TOKEN replaced, keeps the new one for the next start, and a start with the old one stops saying why', async () => {
    const databaseUrl = await createTestDatabase();
    const port = await freePort();
    const stateDir = scratchDir('embedded-rotate');
    const current = 'embedded-current-admin-token-01234567890';
    const base = { DATABASE_URL: databaseUrl, NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: testBusPrefix(), SLIPWAY_STATE_DIR: stateDir, SLIPWAY_PORT: String(port) };
    const self = (token: string) => fetch(`http://127.0.0.1:${port}/api/v1/tokens/self`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    const kept = () => readFileSync(join(stateDir, 'admin-token'), 'utf8').trim();
    const startedWith = async (token: string | undefined) => {
      const run = launch({ ...base, SLIPWAY_ADMIN_TOKEN: token });
      await eventually(() => expect(run.output).toContain('Slipway is running at'), 120_000, 200);
      return run;
    };
    const stopped = async (run: ReturnType<typeof launch>) => {
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
    };
    // given a start that generated and kept its token
    const first = await startedWith(undefined);
    const generated = kept();
    expect(await self(generated)).toBe(200);
    await stopped(first);

    // when one starts with a token of its own (the kept one leaked, say)
    const second = await startedWith(current);
    try {
      // then the one it replaced is refused, the new one taken, and kept in the file's place
      expect({ replaced: await self(generated), current: await self(current) }).toEqual({ replaced: 401, current: 200 });
      expect(second.output).toContain('it replaces the one kept in');
      expect(kept()).toBe(current);
    } finally {
      await stopped(second);
    }

    // and a start with the replaced one (a stale Secret) stops, saying why, and ends nothing
    const stale = launch({ ...base, SLIPWAY_ADMIN_TOKEN: generated });
    expect(await stale.exited).toBe(1);
    expect(stale.output).toContain('deployer exited (1)');
    expect(stale.output).toContain('failed to start: the admin token was not registered: SLIPWAY_ADMIN_TOKEN was revoked');
    // while the next plain start takes the kept one
    const third = await startedWith(undefined);
    try {
      expect(await self(current)).toBe(200);
    } finally {
      await stopped(third);
    }
  }, 360_000);

  it('starts its Postgres again when it dies, and the apps, which waited, go on', async () => {
    const stateDir = scratchDir('embedded-postgres');
    const port = await freePort();
    const adminToken = 'embedded-postgres-admin-token-0123456789';
    const run = launch({
      DATABASE_URL: undefined, NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: testBusPrefix(), SLIPWAY_STATE_DIR: stateDir,
      SLIPWAY_PORT: String(port), SLIPWAY_POSTGRES_PORT: String(await freePort()), SLIPWAY_ADMIN_TOKEN: adminToken,
    });
    const create = (name: string) => fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/deployment-targets`, {
      method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { name }, spec: { kubernetes: { namespace: 'apps' } } }),
    }).then((r) => r.status, () => 0);
    try {
      // given Slipway up on a Postgres of its own
      await eventually(() => expect(run.output).toContain('Slipway is running at'), 180_000, 200);
      await eventually(async () => expect(await create('before')).toBe(201), 30_000, 200);

      // when the postmaster is killed
      const postmaster = Number(readFileSync(join(stateDir, 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(postmaster, 'SIGKILL');

      // then the launcher starts it again, and writes are carried out again; no app exited
      await eventually(() => expect(run.output).toMatch(/postgres exited \([^)]*\); see .*postgres\.log; starting it again in 1 s/), 30_000, 100);
      await eventually(async () => expect(await create('after')).toBe(201), 90_000, 500);
      expect(run.output).not.toMatch(/(deployer|config-store|telemetry|gateway) exited/);
      expect(run.child.exitCode).toBeNull();
    } finally {
      run.child.kill('SIGINT');
    }
    expect(await run.exited).toBe(0);
    // and Ctrl-C stopped the Postgres started again too
    expect(() => execFileSync('pgrep', ['-f', join(stateDir, 'postgres', 'data')])).toThrow();
  }, 300_000);
  it('refuses a second launcher on its state directory, which leaves the first one\'s servers alone', async () => {
    const stateDir = scratchDir('embedded-twice');
    const port = await freePort();
    const adminToken = 'embedded-twice-admin-token-0123456789';
    const postgresPort = String(await freePort());
    const first = launch({
      DATABASE_URL: undefined, NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: testBusPrefix(), SLIPWAY_STATE_DIR: stateDir,
      SLIPWAY_PORT: String(port), SLIPWAY_POSTGRES_PORT: postgresPort, SLIPWAY_ADMIN_TOKEN: adminToken,
    });
    const create = (name: string) => fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/deployment-targets`, {
      method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { name }, spec: { kubernetes: { namespace: 'apps' } } }),
    }).then((r) => r.status, () => 0);
    try {
      await eventually(() => expect(first.output).toContain('Slipway is running at'), 180_000, 200);
      // when another launcher starts on the same directory (and the same ports, as a second `npm start` would)
      const second = launch({
        DATABASE_URL: undefined, NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: testBusPrefix(), SLIPWAY_STATE_DIR: stateDir,
        SLIPWAY_PORT: String(await freePort()), SLIPWAY_POSTGRES_PORT: postgresPort, SLIPWAY_ADMIN_TOKEN: adminToken,
      });
      // then it refuses, naming the one running, and the first goes on with its Postgres
      expect(await second.exited).toBe(1);
      expect(second.output).toContain(`Slipway failed to start: another npm start runs on ${stateDir} (pid ${first.child.pid})`);
      expect(await create('after-second')).toBe(201);
      expect(first.output).not.toContain('exited');
    } finally {
      first.child.kill('SIGINT');
    }
    expect(await first.exited).toBe(0);
  }, 300_000);

  it('refuses a setting that is no number in its range, an admin token the deployer would refuse, and a port something answers on, naming them, before starting anything', async () => {
    const base = { NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: testBusPrefix(), SLIPWAY_ADMIN_TOKEN: 'embedded-settings-admin-token-0123456789' };
    for (const [name, value] of [['SLIPWAY_COMMAND_WAIT_MS', 'abc'], ['SLIPWAY_COMMAND_WAIT_MS', '3000000000'], ['SLIPWAY_UPLOAD_LIMIT', '0'], ['SLIPWAY_NATS_PORT', '70000'], ['SLIPWAY_EXPORT_RETENTION_HOURS', '0']] as const) {
      const run = launch({ ...base, SLIPWAY_STATE_DIR: scratchDir('embedded-settings'), [name]: value });
      expect(await run.exited).toBe(1);
      expect(run.output).toContain(`Slipway failed to start: ${name} must be a whole number of`);
      expect(run.output).toContain(`not "${value}"`);
    }
    // Taken on the loopback, and on the IPv6 loopback the gateway is told to listen on
    // (a connection to 127.0.0.1 found nobody there); an address not this machine's.
    const port = await freePort();
    const takenOn = async (host: string) => {
      const taken = createServer((socket) => socket.end());
      await new Promise<void>((resolve) => taken.listen(port, host, resolve));
      return taken;
    };
    const cases = [{ takenOn: '127.0.0.1', host: '127.0.0.1', refusal: `port ${port} is in use: the gateway cannot listen there` },
      { takenOn: '::1', host: '::1', refusal: `port ${port} is in use: the gateway cannot listen there` },
      { host: '192.0.2.254', refusal: `the gateway cannot listen on 192.0.2.254 port ${port} (EADDRNOTAVAIL): is 192.0.2.254 an address of this machine?` }];
    for (const { takenOn: held, host, refusal } of cases) {
      const taken = held === undefined ? undefined : await takenOn(held);
      try {
        const run = launch({ ...base, DATABASE_URL: await createTestDatabase(), SLIPWAY_STATE_DIR: scratchDir('embedded-port'), SLIPWAY_HOST: host, SLIPWAY_PORT: String(port) });
        expect(await run.exited).toBe(1);
        expect(run.output).toContain(`Slipway failed to start: ${refusal}`);
        expect(run.output).not.toContain('Slipway is running');
      } finally {
        taken?.close();
      }
    }
    // An admin token the deployer would refuse (a probe saw it refused after the control plane started).
    const shortToken = scratchDir('embedded-admin-token');
    const refusedToken = launch({ ...base, DATABASE_URL: await createTestDatabase(), KUBECONFIG: undefined, SLIPWAY_STATE_DIR: shortToken, SLIPWAY_ADMIN_TOKEN: 'changeme-admin' });
    expect(await refusedToken.exited).toBe(1);
    expect(refusedToken.output).toContain('Slipway failed to start: SLIPWAY_ADMIN_TOKEN must be at least 32 characters');
    expect(refusedToken.output).not.toContain('changeme-admin');
    expect(existsSync(join(shortToken, 'kube'))).toBe(false);
    // Its own Postgres's or NATS's port taken: refused before the local control plane (no
    // KUBECONFIG) or either server starts, nothing of theirs left in the state directory.
    const taken = await takenOn('127.0.0.1');
    try {
      for (const [setting, server, what] of [['SLIPWAY_POSTGRES_PORT', 'DATABASE_URL', 'Postgres'], ['SLIPWAY_NATS_PORT', 'NATS_URL', 'nats-server']] as const) {
        const stateDir = scratchDir('embedded-server-port');
        const run = launch({ ...base, DATABASE_URL: await createTestDatabase(), KUBECONFIG: undefined, SLIPWAY_STATE_DIR: stateDir, SLIPWAY_PORT: String(await freePort()), [server]: undefined, [setting]: String(port) });
        expect(await run.exited).toBe(1);
        expect(run.output).toContain(`Slipway failed to start: port ${port} is in use: ${what} cannot listen there (another instance still running? choose another with ${setting})`);
        expect(readdirSync(stateDir).filter((entry) => ['kube', 'postgres', 'nats'].includes(entry))).toEqual([]);
      }
    } finally {
      taken.close();
    }
  }, 120_000);

  it.each([
    ['the shell that ran it is killed (npm passes no SIGKILL on)', 'killed-shell', `"${process.execPath}" "${launcher}"; true`, 1],
    // npm runs a script through a shell that does not exec it: killed, npm leaves that shell running the launcher.
    ['npm is killed and the shell it ran stays', 'killed-npm', `sh -c '"${process.execPath}" "${launcher}"; true'; true`, 2],
  ])('stops everything when %s', async (_, name, script, depth) => {
    const port = await freePort();
    const env = {
      ...process.env, DATABASE_URL: await createTestDatabase(), NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: testBusPrefix(), SLIPWAY_STATE_DIR: scratchDir(`embedded-${name}`),
      SLIPWAY_PORT: String(port), SLIPWAY_ADMIN_TOKEN: `embedded-${name}-admin-token-0123456789`,
    };
    // A bash in npm's place runs `script` (the `; true` keeps each shell from exec'ing what it runs).
    const killed = spawn('bash', ['-c', script], { env, stdio: 'ignore' });
    const ready = () => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
    await eventually(async () => expect(await ready()).toBe(200), 120_000, 200);
    let parent = killed.pid!;
    for (let level = 1; level < depth; level++) parent = Number(execFileSync('pgrep', ['-P', String(parent)]).toString().trim());
    const launcherPid = Number(execFileSync('pgrep', ['-P', String(parent), '-f', 'embedded-cli.js']).toString().trim());
    try {
      killed.kill('SIGKILL');
      await eventually(() => expect(() => process.kill(launcherPid, 0)).toThrow(), 60_000, 200);
      expect(await ready()).toBe(0);
    } finally {
      // Left running should it not have stopped: stopped here, as Ctrl-C would.
      try { process.kill(launcherPid, 'SIGINT'); } catch { /* stopped */ }
    }
  }, 240_000);

  it('shows a generated admin token at the first start that comes up, also when the one that generated it failed', async () => {
    const stateDir = scratchDir('embedded-token');
    const env = { DATABASE_URL: await createTestDatabase(), NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: testBusPrefix(), SLIPWAY_STATE_DIR: stateDir, SLIPWAY_ADMIN_TOKEN: undefined };
    // given a first start that generates the token, then fails (its apps cannot start)
    const failed = launch({ ...env, SLIPWAY_PORT: String(await freePort()), SLIPWAY_NODE_ARGS: '--no-such-node-flag' });
    expect(await failed.exited).toBe(1);
    expect(failed.output).not.toContain('admin token');
    const token = readFileSync(join(stateDir, 'admin-token'), 'utf8').trim();
    // shaped as the tokens the gateway issues, so that it is found and redacted wherever it is pasted
    expect(holdsTokenSecret(token)).toBe(true);
    // when it starts again, then it shows the token, once
    for (const shown of [true, false]) {
      const run = launch({ ...env, SLIPWAY_PORT: String(await freePort()) });
      try {
        await eventually(() => expect(run.output).toContain('admin token'), 120_000, 200);
        expect(run.output.includes(token)).toBe(shown);
      } finally {
        run.child.kill('SIGINT');
      }
      expect(await run.exited).toBe(0);
    }
  }, 300_000);
});
