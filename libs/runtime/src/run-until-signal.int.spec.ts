import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scratchDir } from '@slipway/testing';

// The compiled fixture (the test command compiles dist/ first): a real separate process.
const fixture = resolve(__dirname, '..', '..', '..', 'dist', 'libs', 'runtime', 'src', 'run-until-signal.fixture.js');

describe('runUntilSignal', () => {
  it('closes the app and exits when the launcher that started it over IPC is gone', async () => {
    expect(existsSync(fixture)).toBe(true);
    const marker = join(scratchDir('launcher-gone'), 'closed');
    const child = fork(fixture, [marker], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await new Promise<void>((ready) => child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('fixture ready')) ready(); }));

      // the launcher's end of the channel closes, as when the launcher is killed
      child.disconnect();

      expect(await exited).toBe(0);
      expect(readFileSync(marker, 'utf8')).toBe('closed\n');
    } finally {
      child.kill('SIGKILL');
    }
  }, 15_000);
});
