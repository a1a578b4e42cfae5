import { resolve } from 'node:path';
import { runEmbedded } from './embedded';

const root = resolve(__dirname, '..', '..', '..', '..');
runEmbedded({
  root,
  stateDir: resolve(process.env.SLIPWAY_STATE_DIR ?? resolve(root, '.slipway')),
  port: Number(process.env.SLIPWAY_PORT ?? 8080),
  postgresPort: Number(process.env.SLIPWAY_POSTGRES_PORT ?? 54329),
  natsPort: Number(process.env.SLIPWAY_NATS_PORT ?? 42229),
}).catch((error: unknown) => {
  console.error(`Slipway failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
