import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kubeTestenvStopCommand, natsStopCommand, postgresStopCommand, Reaper, startKubeTestenv, startNats, startPostgres } from '@slipway/local-stack';
import { removeTestRoot } from './global-teardown';
import { stopAll, type Stoppable } from './stop-all';

declare global {
  var __slipwayServers: Stoppable[] | undefined;
  var __slipwayTestRoot: string | undefined;
  var __slipwayReaper: Reaper | undefined;
}

const repoRoot = resolve(__dirname, '..', '..', '..');

async function startDataServices(dir: string, started: Stoppable[], reaper: Reaper): Promise<void> {
  if (!process.env.DATABASE_URL) {
    reaper.add(postgresStopCommand(join(dir, 'pg', 'data')));
    const pg = await startPostgres({ dataDir: join(dir, 'pg', 'data'), durable: false });
    process.env.DATABASE_URL = pg.url;
    started.push(pg);
  }
  if (!process.env.NATS_URL) {
    reaper.add(natsStopCommand(join(dir, 'nats')));
    // Each test's bus prefix has its own EVENTS stream, reserving 1 GiB whatever it holds:
    // the default limit (three quarters of the free disk) ran out after a few dozen of them.
    const nats = await startNats({ storeDir: join(dir, 'nats'), syncAlways: false, maxFileStore: '16TB' });
    process.env.NATS_URL = nats.url;
    // Where its streams' files are: a test can look into them (secrets must not be there).
    process.env.SLIPWAY_TEST_NATS_STORE = join(dir, 'nats');
    started.push(nats);
  }
}

/**
 * One Postgres, one NATS and one Kubernetes control plane (tools/kube-testenv) per test run,
 * on free loopback ports, unless DATABASE_URL / NATS_URL / KUBECONFIG point at existing
 * ones; SLIPWAY_TEST_KUBE=off leaves Kubernetes out. The control plane starts alongside
 * the others since it takes longest (minutes on a machine whose binary cache is cold).
 * Workers inherit the URLs and KUBECONFIG through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const started: Stoppable[] = [];
  globalThis.__slipwayServers = started;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-test-'));
  chmodSync(dir, 0o755); // Postgres runs as its own user when we are root and must reach its directory
  globalThis.__slipwayTestRoot = dir;
  // Should this process be killed before its teardown, the reaper stops what it started.
  const reaper = Reaper.start(dir, { removeDir: process.env.SLIPWAY_KEEP_TEST_STATE !== '1' });
  globalThis.__slipwayReaper = reaper;
  // Whatever tests and the servers they start write to the temp directory (export zips,
  // archives, scratch files) goes in the run's directory too, and is removed with it.
  const scratch = join(dir, 'tmp');
  mkdirSync(scratch);
  chmodSync(scratch, 0o1777);
  process.env.TMPDIR = scratch;
  const wantKube = !process.env.KUBECONFIG && process.env.SLIPWAY_TEST_KUBE !== 'off';
  if (wantKube) reaper.add(kubeTestenvStopCommand(repoRoot, join(dir, 'kube')));
  const kube = wantKube
    ? startKubeTestenv(repoRoot, join(dir, 'kube')).then((running) => {
      started.push(running);
      Object.assign(process.env, { KUBECONFIG: running.kubeconfig, KUBE_TESTENV_STATE_DIR: running.stateDir, KUBE_TESTENV_BIN: running.env.KUBE_TESTENV_BIN });
    })
    : Promise.resolve();
  try {
    await Promise.all([kube, startDataServices(dir, started, reaper)]);
  } catch (error) {
    await kube.catch(() => undefined); // let a start in progress finish, so that it is stopped too
    await stopAll(started);
    removeTestRoot();
    reaper.stop(); // last, as in the teardown
    throw error;
  }
}
