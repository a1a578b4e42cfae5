export default async function globalTeardown(): Promise<void> {
  for (const server of (globalThis.__slipwayServers ?? []).reverse()) await server.stop();
}
