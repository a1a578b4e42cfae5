/** Settings every service reads from its environment (see README, "Configuration"). */
export interface ServiceConfig {
  databaseUrl: string;
  natsUrl: string;
  /** Optional subject/stream prefix, for several Slipways (or test files) on one NATS. */
  busPrefix?: string;
  /** Deliveries of a failing message before it is dead-lettered (settlement.ts); tests lower it. */
  maxDeliveries?: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const missing = ['DATABASE_URL', 'NATS_URL'].filter((name) => !env[name]);
  if (missing.length) throw new Error(`missing configuration: ${missing.join(', ')} (see README, "Configuration")`);
  return { databaseUrl: env.DATABASE_URL!, natsUrl: env.NATS_URL!, busPrefix: env.SLIPWAY_BUS_PREFIX || undefined };
}
