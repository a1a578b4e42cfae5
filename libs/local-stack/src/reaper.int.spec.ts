import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, scratchDir } from '@slipway/testing';
import { acceptsConnections } from './free-port';
import { startNats } from './nats-server';
import { Reaper, shellQuote } from './reaper';

/** Stands in for a test run or bench: a process that can be killed without a teardown. */
const fakeParent = (): ChildProcess => spawn('sleep', ['600'], { stdio: 'ignore' });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Reaper', () => {
  it('when its parent is killed before cleaning up, stops the servers it registered and removes the run directory', async () => {
    const dir = scratchDir('reaper');
    mkdirSync(join(dir, 'nats'));
    const parent = fakeParent();
    const reaper = Reaper.start(dir, { removeDir: true, parent: parent.pid });
    const nats = await startNats({ storeDir: join(dir, 'nats'), syncAlways: false });
    reaper.add(nats.stopCommand);
    const marker = join(scratchDir('reaper-marker'), 'ran');
    reaper.add(`touch ${shellQuote(marker)}`);
    try {
      expect(await acceptsConnections(nats.port)).toBe(true);

      parent.kill('SIGKILL');

      await eventually(async () => {
        expect(await acceptsConnections(nats.port)).toBe(false);
        expect(existsSync(marker)).toBe(true);
        expect(existsSync(dir)).toBe(false);
        expect(alive(reaper.pid)).toBe(false);
      });
    } finally {
      await nats.stop();
    }
  });

  it('stopped by its parent (its teardown ran), is gone at once and leaves everything as it is', async () => {
    const dir = scratchDir('reaper');
    const parent = fakeParent();
    const reaper = Reaper.start(dir, { removeDir: true, parent: parent.pid });
    reaper.add(`rm -rf ${shellQuote(dir)}`);
    expect(alive(reaper.pid)).toBe(true);

    reaper.stop();
    parent.kill('SIGKILL');

    await eventually(() => expect(alive(reaper.pid)).toBe(false));
    expect(existsSync(dir)).toBe(true);
  });
});
