import 'reflect-metadata';
import { gatewaySettings, runUntilSignal } from '@slipway/runtime';
import { startGateway } from './server';

const env = process.env;
void runUntilSignal('gateway', async () => startGateway({
  natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
  busPrefix: env.SLIPWAY_BUS_PREFIX || undefined,
  ...gatewaySettings(env),
}));
