export interface Stoppable {
  stop(): Promise<void>;
}

/** Stops servers in reverse start order; one failing to stop does not keep the others up. */
export async function stopAll(servers: Stoppable[]): Promise<void> {
  const failures: unknown[] = [];
  for (const server of [...servers].reverse()) await server.stop().catch((error: unknown) => failures.push(error));
  servers.length = 0;
  if (failures.length) throw failures[0];
}
