import { stopAll } from './stop-all';

export default async function globalTeardown(): Promise<void> {
  await stopAll(globalThis.__slipwayServers ?? []);
}
