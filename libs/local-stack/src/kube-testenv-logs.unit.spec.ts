import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventually, scratchDir } from '@slipway/testing';

const lib = resolve(__dirname, '..', '..', '..', 'tools', 'kube-testenv', 'lib.sh');
const LIMIT = 4096;

/** The pids of the processes whose command line holds `text`. */
function processesNaming(text: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false; // gone meanwhile
    }
  }).map(Number);
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

/**
 * The control plane's components (tools/kube-testenv, started by kte_spawn) log through a
 * pipe to rotate-log.py: a long `npm start` grew their logs without end. A stand-in
 * component writes numbered lines to stdout and stderr, waits to be released, and says its
 * last line.
 */
describe('a control plane component\'s log (kte_spawn)', () => {
  let dir: string;
  let component: number | undefined;
  beforeEach(() => {
    dir = scratchDir('kte-logs');
    mkdirSync(join(dir, 'cmd'));
  });
  afterEach(() => {
    if (component !== undefined && alive(component)) process.kill(component, 'SIGKILL');
    for (const writer of processesNaming(dir)) process.kill(writer, 'SIGKILL'); // a test's that failed with it held
    rmSync(dir, { recursive: true, force: true });
  });

  const log = () => join(dir, 'logs', 'fake.log');
  /** Runs lib.sh's `command` with `args` in the state directory (a caller reading its output to the end, as spawnSync does). */
  const kte = (command: string, ...args: string[]) => {
    const ran = spawnSync('bash', ['-c', `source "$0"; cd "$1"; shift; ${command} "$@"`, lib, dir, ...args],
      { encoding: 'utf8', env: { ...process.env, KTE_LOG_MAX_BYTES: String(LIMIT) }, timeout: 20_000 });
    expect({ status: ran.status, stderr: ran.stderr }).toMatchObject({ status: 0 });
  };
  const kteInBackground = (command: string, ...args: string[]) => new Promise<number | null>((resolve) => {
    spawn('bash', ['-c', `source "$0"; cd "$1"; shift; ${command} "$@"`, lib, dir, ...args], { stdio: 'ignore' }).once('exit', resolve);
  });
  /** kte_spawn's component running `script`: its pid, as recorded for stop.sh. */
  const spawnComponent = (script: string) => {
    kte('kte_spawn', dir, 'fake', 'bash', '-c', script);
    return Number(readFileSync(join(dir, 'pids'), 'utf8').split(' ')[1]);
  };

  const lines = 2_000;
  // Lines of different lengths, so that the files are cut at different places in them.
  const expected = [...Array.from({ length: lines }, (_, i) => [`out ${i + 1} ${' '.repeat((i + 1) % 50)}|`, ...((i + 1) % 100 === 0 ? [`err ${i + 1}`] : [])]).flat(), 'last'];
  const fake = `for i in $(seq 1 ${lines}); do printf 'out %d %*s|\\n' "$i" $((i % 50)) ''; `
    + `[ $((i % 100)) = 0 ] && echo "err $i" >&2; done; while [ ! -e release ]; do sleep 0.05; done; echo last`;

  it('is bounded at twice KTE_LOG_MAX_BYTES, keeps every line of the newest in order, and its writer ends with the component', async () => {
    component = spawnComponent(fake);
    // the recorded pid is the component's own (stop.sh signals it), not a shell's or the writer's
    expect(readFileSync(`/proc/${component}/cmdline`, 'utf8').split('\0')).toEqual(['bash', '-c', fake, '']);
    await eventually(() => expect(readFileSync(log(), 'utf8')).toContain(`err ${lines}\n`));
    const writers = processesNaming(log());
    expect(writers).toHaveLength(1);

    // Ctrl-C, a closed terminal or a stray TERM to the writer would end the component at its next write (SIGPIPE)
    for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) process.kill(writers[0]!, signal);
    writeFileSync(join(dir, 'release'), '');
    await eventually(() => expect(alive(component!)).toBe(false));
    await eventually(() => expect(processesNaming(log())).toEqual([]));

    const older = readFileSync(`${log()}.1`, 'utf8');
    const newest = readFileSync(log(), 'utf8');
    expect(Buffer.byteLength(older)).toBeLessThanOrEqual(LIMIT);
    expect(Buffer.byteLength(older)).toBeGreaterThan(LIMIT - 80);
    expect(Buffer.byteLength(newest)).toBeLessThanOrEqual(LIMIT);
    // whole lines in each file, together the newest of what the component wrote, none lost or twice
    expect(older.endsWith('\n')).toBe(true);
    const kept = (older + newest).trimEnd().split('\n');
    expect(kept).toEqual(expected.slice(-kept.length));
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['fake.log', 'fake.log.1']);
  });

  it('is written to its end before stop.sh (kte_kill) returns, its writer ended', async () => {
    // What a component says on its way out is the end of its log that matters most.
    component = spawnComponent(`trap 'for i in $(seq 1 5000); do echo "bye $i"; done; exit 0' TERM; echo ready; while :; do sleep 0.05; done`);
    await eventually(() => expect(readFileSync(log(), 'utf8')).toContain('ready\n'));
    const [writer] = processesNaming(log());
    // A writer behind the component (a busy machine): held while the component stops.
    process.kill(writer!, 'SIGSTOP');
    const [, , startTime] = readFileSync(join(dir, 'pids'), 'utf8').trim().split(' ');
    let returned = false;
    const killing = kteInBackground('kte_kill', String(component), startTime!, 'fake', '5').finally(() => { returned = true; });
    await eventually(() => expect(alive(component!)).toBe(false));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(returned).toBe(false);
    process.kill(writer!, 'SIGCONT');
    expect(await killing).toBe(0);
    expect(processesNaming(log())).toEqual([]);
    expect(readFileSync(log(), 'utf8').endsWith('bye 5000\n')).toBe(true);
  });

  it('outlives its file: a log removed (an rm to free space) is started anew, and the component runs on', async () => {
    component = spawnComponent('for i in $(seq 1 100); do echo "a $i"; done; while [ ! -e removed ]; do sleep 0.05; done; '
      + 'for i in $(seq 1 20000); do echo "b $i"; done; touch survived; while [ ! -e release ]; do sleep 0.05; done; echo last');
    await eventually(() => expect(readFileSync(log(), 'utf8')).toContain('a 100\n'));
    // when its log is removed while the component writes past the bound (so that the writer rotates)
    rmSync(log());
    writeFileSync(join(dir, 'removed'), '');
    // then the component lived to write all it had to, more than a pipe holds (a writer that ended takes it down: SIGPIPE)
    await eventually(() => expect(existsSync(join(dir, 'survived'))).toBe(true));
    writeFileSync(join(dir, 'release'), '');
    await eventually(() => expect(alive(component!)).toBe(false));
    await eventually(() => expect(processesNaming(log())).toEqual([]));
    // and its log was made again, the newest lines in it
    expect(readFileSync(log(), 'utf8').endsWith('last\n')).toBe(true);
  });
});
