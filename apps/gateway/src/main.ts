import 'reflect-metadata';
import { runUntilSignal } from '@slipway/runtime';
import { startGateway } from './server';

const env = process.env;
void runUntilSignal('gateway', () => startGateway({
  natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
  busPrefix: env.SLIPWAY_BUS_PREFIX || undefined,
  host: env.SLIPWAY_HOST ?? '127.0.0.1',
  port: Number(env.SLIPWAY_PORT ?? 8080),
  bodyLimit: Number(env.SLIPWAY_BODY_LIMIT ?? 1024 * 1024),
  uploadLimit: Number(env.SLIPWAY_UPLOAD_LIMIT ?? 4 * 1024 * 1024),
  commandWaitMs: Number(env.SLIPWAY_COMMAND_WAIT_MS ?? 5000),
  requestTimeoutMs: Number(env.SLIPWAY_REQUEST_TIMEOUT_MS ?? 120_000),
}));
