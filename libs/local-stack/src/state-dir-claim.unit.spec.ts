import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimStateDir, startTimeOf } from './state-dir-claim';

describe('the claim on a state directory (launcher.pid)', () => {
  let dir: string;
  const file = () => join(dir, 'launcher.pid');
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'state-dir-claim-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Another live process, standing for a launcher or for whatever took a dead one's pid.
  const other = spawn('sleep', ['60'], { stdio: 'ignore' });
  afterAll(() => other.kill());
  const otherPid = other.pid as number;

  it('names this process and when it started, and is given up by it', () => {
    const release = claimStateDir(dir);
    expect(readFileSync(file(), 'utf8')).toBe(`${process.pid} ${startTimeOf(process.pid)}`);
    release();
    expect(existsSync(file())).toBe(false);
  });

  it.each([
    ['a launcher still running', () => `${otherPid} ${startTimeOf(otherPid)}`],
    ['a launcher still running, claimed before start times were written', () => `${otherPid}`],
  ])('is refused while held by %s, naming its pid', (_, held) => {
    writeFileSync(file(), held());
    expect(() => claimStateDir(dir)).toThrow(`another npm start runs on ${dir} (pid ${otherPid})`);
    expect(readFileSync(file(), 'utf8')).toBe(held());
  });

  it.each([
    ['a launcher whose process is gone', () => '2147483646 12345'],
    ['a pid now another process\'s (the machine restarted since)', () => `${otherPid} 1`],
  ])('takes over a claim left by %s', (_, left) => {
    writeFileSync(file(), left());
    claimStateDir(dir);
    expect(readFileSync(file(), 'utf8')).toBe(`${process.pid} ${startTimeOf(process.pid)}`);
  });

  it('reads a start time past a command name holding spaces and parentheses', async () => {
    const oddly = join(dir, 'sl) (eep 1 2');
    copyFileSync('/bin/sleep', oddly);
    chmodSync(oddly, 0o755);
    const named = spawn(oddly, ['60'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => named.once('spawn', resolve));
      const started = startTimeOf(named.pid as number);
      expect(readFileSync(`/proc/${named.pid}/stat`, 'utf8')).toContain('(sl) (eep 1 2)');
      // Started after the other one, and within the minute since (100 ticks a second).
      expect(Number(started) - Number(startTimeOf(otherPid))).toBeGreaterThanOrEqual(0);
      expect(Number(started) - Number(startTimeOf(otherPid))).toBeLessThan(6_000);
    } finally {
      named.kill();
    }
    expect(startTimeOf(2147483646)).toBeUndefined();
  });
});
