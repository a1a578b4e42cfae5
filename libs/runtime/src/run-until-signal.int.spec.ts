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

  /** The fixture run to its end with `fails` and a secret its failure quotes: its exit code and all it wrote. */
  const failing = async (fails: 'start-fails' | 'close-fails', secret: string): Promise<{ code: number | null; output: string }> => {
    const marker = join(scratchDir(fails), 'closed');
    const child = fork(fixture, [marker, fails, secret], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // ready: the launcher goes, so that the app closes
      if (output.includes('fixture ready') && child.connected) child.disconnect();
    });
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    // Everything it wrote, once it exited ('close' does not come while the IPC channel's end lingers).
    const ended = (stream: NodeJS.ReadableStream) => new Promise<void>((done) => stream.once('end', done));
    const exited = new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
    try {
      const [code] = await Promise.all([exited, ended(child.stdout!), ended(child.stderr!)]);
      return { code, output };
    } finally {
      child.kill('SIGKILL');
    }
  };

  it('logs why it could not start with secret-looking values redacted', async () => {
    const { code, output } = await failing('start-fails', 'Hunter2StartSecret');
    expect(code).toBe(1);
    expect(output).toContain('failed to start: could not connect to postgres://slipway:[redacted]@127.0.0.1:5432/slipway');
    expect(output).not.toContain('Hunter2StartSecret');
  }, 15_000);

  it('logs why closing failed with secret-looking values redacted', async () => {
    const { code, output } = await failing('close-fails', 'Hunter2CloseSecret');
    expect(code).toBe(0);
    expect(output).toContain('postgres://slipway:[redacted]@127.0.0.1:5432/slipway');
    expect(output).not.toContain('Hunter2CloseSecret');
  }, 15_000);
});
