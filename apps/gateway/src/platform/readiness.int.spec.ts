import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { startNats, type RunningNats } from '@slipway/local-stack';
import { eventually, scratchDir } from '@slipway/testing';
import { startGateway, type RunningGateway } from '../server';

// A NATS server of this file's own, so stalling it disturbs no other test file.
describe('readiness', () => {
  let nats: RunningNats;
  let gateway: RunningGateway;
  const storeDir = scratchDir('readiness');
  const natsPid = () => Number(readFileSync(join(storeDir, 'nats.pid'), 'utf8'));
  const ready = async () => {
    const answer = await fetch(`${gateway.url}/readyz`);
    return { status: answer.status, body: await answer.json() };
  };

  beforeAll(async () => {
    nats = await startNats({ storeDir, syncAlways: false });
    gateway = await startGateway({ natsUrl: nats.url, host: '127.0.0.1', port: 0, bodyLimit: 1024 * 1024, commandWaitMs: 1_000, requestTimeoutMs: 90_000 });
  });
  afterAll(async () => {
    await gateway.close();
    await nats.stop();
  });

  it('is ready while the bus answers, and not while its server has stalled, though the connection stays open', async () => {
    expect(await ready()).toEqual({ status: 200, body: { status: 'ok', nats: 'connected' } });
    process.kill(natsPid(), 'SIGSTOP');
    try {
      // Polled, as a probe is: one CI run saw a single answer `connected` just after the stop
      // (a PONG already under way, it seems; not reproduced). Every later one must be 503.
      await eventually(async () => expect(await ready()).toEqual({ status: 503, body: { status: 'unavailable', nats: 'unresponsive' } }), 8_000);
      expect(await ready()).toEqual({ status: 503, body: { status: 'unavailable', nats: 'unresponsive' } });
    } finally {
      process.kill(natsPid(), 'SIGCONT');
    }
    expect(await ready()).toEqual({ status: 200, body: { status: 'ok', nats: 'connected' } });
  });

  it('gives a request\'s headers the whole request time, not Node\'s own minute (unfinished headers were answered 408 at 60-90 s)', () => {
    const server = gateway.app.getHttpServer() as Server;
    expect({ requestTimeout: server.requestTimeout, headersTimeout: server.headersTimeout }).toEqual({ requestTimeout: 90_000, headersTimeout: 90_000 });
  });
});
