/**
 * Numeric settings from the environment, each checked as it is read: a value that is no
 * whole number in its range is refused naming the variable, rather than read as NaN (a
 * write answered 500 for every request), 0 (a limit of nothing, a timeout turned off) or a
 * number past what a timer holds (a wait of 3,000,000,000 ms answered at once).
 */
export function wholeNumberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, range: { min: number; max: number; unit: string }): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new Error(`${name} must be a whole number of ${range.unit} from ${range.min} to ${range.max}, not "${raw.slice(0, 40)}" (see README, "Configuration")`);
  }
  return value;
}

/** The longest a Node timer waits: a longer one fires at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
const GIB = 2 ** 30;

export interface GatewaySettings {
  host: string;
  port: number;
  bodyLimit: number;
  uploadLimit: number;
  commandWaitMs: number;
  requestTimeoutMs: number;
  auditMemoryMib: number;
}

/** The gateway's settings (README, "Configuration"); `npm start` checks them before starting anything. */
export function gatewaySettings(env: NodeJS.ProcessEnv = process.env): GatewaySettings {
  return {
    host: env.SLIPWAY_HOST ?? '127.0.0.1',
    port: wholeNumberSetting(env, 'SLIPWAY_PORT', 8080, { min: 0, max: 65535, unit: 'port' }),
    bodyLimit: wholeNumberSetting(env, 'SLIPWAY_BODY_LIMIT', 1024 * 1024, { min: 1, max: GIB, unit: 'bytes' }),
    uploadLimit: wholeNumberSetting(env, 'SLIPWAY_UPLOAD_LIMIT', 4 * 1024 * 1024, { min: 1, max: GIB, unit: 'bytes' }),
    commandWaitMs: wholeNumberSetting(env, 'SLIPWAY_COMMAND_WAIT_MS', 5_000, { min: 0, max: LONGEST_TIMER_MS, unit: 'milliseconds' }),
    requestTimeoutMs: wholeNumberSetting(env, 'SLIPWAY_REQUEST_TIMEOUT_MS', 120_000, { min: 1, max: LONGEST_TIMER_MS, unit: 'milliseconds' }),
    // At least a listed page's 4 MiB; at most 64 GiB.
    auditMemoryMib: wholeNumberSetting(env, 'SLIPWAY_AUDIT_MEMORY_MIB', 128, { min: 4, max: 64 * 1024, unit: 'MiB' }),
  };
}

export interface TelemetrySettings {
  /** How long a completed export's zip is kept, in hours. */
  exportRetentionHours: number;
}

/** Telemetry's settings (README, "Configuration"); `npm start` checks them before starting anything. */
export function telemetrySettings(env: NodeJS.ProcessEnv = process.env): TelemetrySettings {
  return {
    exportRetentionHours: wholeNumberSetting(env, 'SLIPWAY_EXPORT_RETENTION_HOURS', 168, { min: 1, max: 24 * 366 * 10, unit: 'hours' }),
  };
}
