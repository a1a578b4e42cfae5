import type { MaterializedView } from '@slipway/contracts';
import type { ServiceEvents } from './audit-events';
import { exportReaders } from './readers';

/**
 * At most this many bytes of the services' current configs (each entry as compact JSON,
 * redacted) go into one export, as logs and audit events are bounded: a config can be
 * megabytes, an export names up to 1,000 services, and the export is built in memory.
 */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** What the manifest says of CONFIGS: how much of the services' configs it holds, and whose it left out. */
export interface ConfigsNote { services: number; bytes: number; maxBytes: number; truncated: boolean; leftOut?: string[] }

/**
 * The services' current configs (`service/<name>`), redacted, kept while they fit the bound.
 * One that does not is left out, and noted, and the next ones still tried: a small config
 * after a big one fits. A config larger than what is left is not redacted at all (a MiB
 * takes the redaction about a second, and what it leaves is rarely smaller).
 */
export class ServiceConfigs {
  readonly entries: Record<string, unknown> = {};
  private bytes = 0;
  private readonly leftOut: string[] = [];

  constructor(private readonly maxBytes = MAX_CONFIG_BYTES) {}

  async add(name: string, { releaseVersion, patchVersion, state, config }: MaterializedView): Promise<void> {
    const left = this.maxBytes - this.bytes;
    const entry = Buffer.byteLength(config) <= left ? { releaseVersion, patchVersion, state, config: await exportReaders.secrets(config) } : undefined;
    const size = entry ? Buffer.byteLength(JSON.stringify(entry)) : Infinity;
    if (size > left) {
      this.leftOut.push(name);
      return;
    }
    this.entries[`service/${name}`] = entry;
    this.bytes += size;
  }

  get note(): ConfigsNote {
    const kept = { services: Object.keys(this.entries).length, bytes: this.bytes, maxBytes: this.maxBytes, truncated: this.leftOut.length > 0 };
    return this.leftOut.length > 0 ? { ...kept, leftOut: [...this.leftOut] } : kept;
  }
}

/**
 * CONFIGS: the services' current configs, and the config events of the range about the
 * services (`<stream>@<position>`, narrowed to them and redacted as exported, within the
 * audit events' bound).
 */
export function configsOf(events: ServiceEvents, services: ServiceConfigs): Record<string, unknown> {
  const configs: Record<string, unknown> = { ...services.entries };
  for (const e of events.events.filter((x) => /config/i.test(x.type))) configs[`${e.stream}@${e.position}`] = { type: e.type, data: e.data };
  return configs;
}
