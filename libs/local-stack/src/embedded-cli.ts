import { resolve } from 'node:path';
import { gatewaySettings, sendableToken, telemetrySettings, wholeNumberSetting } from '@slipway/runtime';
import { runEmbedded } from './embedded';

const root = resolve(__dirname, '..', '..', '..', '..');
const env = process.env;
const failed = (error: unknown) => {
  console.error(`Slipway failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
};

try {
  // Every app's settings are checked here, before anything starts: refused by an app, they
  // would only say that it exited.
  const { host, port } = gatewaySettings(env);
  telemetrySettings(env);
  // The deployer's: refused there, only after the control plane and the servers started.
  if (env.SLIPWAY_ADMIN_TOKEN) sendableToken(env.SLIPWAY_ADMIN_TOKEN);
  if (port === 0) throw new Error('SLIPWAY_PORT must be a port from 1 to 65535 for npm start, which says where the gateway is');
  const serverPort = (name: string, fallback: number) => wholeNumberSetting(env, name, fallback, { min: 1, max: 65535, unit: 'port' });
  runEmbedded({
    root,
    stateDir: resolve(env.SLIPWAY_STATE_DIR ?? resolve(root, '.slipway')),
    host,
    port,
    postgresPort: serverPort('SLIPWAY_POSTGRES_PORT', 54329),
    natsPort: serverPort('SLIPWAY_NATS_PORT', 42229),
  }).catch(failed);
} catch (error) {
  failed(error);
}
