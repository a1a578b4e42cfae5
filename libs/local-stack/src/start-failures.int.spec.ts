import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLogged, waitFor } from './child';
import { freePort } from './free-port';
import { startNats } from './nats-server';
import { startPostgres } from './postgres-server';

/** What `npm start` says when a server of its own cannot start, instead of waiting out a timeout or taking another's. */
describe('local servers that cannot start', () => {
  let dir: string;
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-start-'));
    port = await freePort();
    taken = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => {
    taken.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuse a port something else answers on, naming the port and the setting', async () => {
    await expect(startNats({ storeDir: join(dir, 'nats'), port, syncAlways: false })).rejects.toThrow(`port ${port} is in use: nats-server cannot listen there (another instance still running? choose another with SLIPWAY_NATS_PORT)`);
    await expect(startPostgres({ dataDir: join(dir, 'pg', 'data'), port, durable: false })).rejects.toThrow(`port ${port} is in use: Postgres cannot listen there`);
  });

  it('say at once that the process exited, with the end of its log', async () => {
    const logFile = join(dir, 'boom.log');
    const child = startLogged(process.execPath, ['-e', "console.log('cannot open the data directory'); process.exit(3)"], logFile);
    await expect(waitFor(async () => false, 'the server', 30_000, { process: child, logFile })).rejects.toThrow(/the server exited \(3\) before it was ready; the end of .*boom\.log:\ncannot open the data directory/);
  });
});
