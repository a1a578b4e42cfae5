import type { MaterializedView } from '@slipway/contracts';
import type { ServiceEvents } from './audit-events';
import { exportReaders } from './readers';

/**
 * At most this many bytes of the services' current configs and their config events (each
 * entry as compact JSON, redacted) go into one export's configs.json, as logs and audit
 * events are bounded: a config can be megabytes, an export names up to 1,000 services, and
 * the export is built in memory. Within what an import reads back (4 MiB with manifest.json):
 * before 2026-12-07 configs.json took 8 MiB and the config events besides (14 MB seen), and
 * the export could not be imported.
 */
export const MAX_CONFIG_BYTES = 3 * 1024 * 1024;

/** What the manifest says of CONFIGS: how much of the services' configs it holds, and whose it left out (and how many config events). */
export interface ConfigsNote { services: number; bytes: number; maxBytes: number; truncated: boolean; leftOut?: string[]; eventsLeftOut?: number }

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
  private eventsLeftOut = 0;

  constructor(private readonly maxBytes = MAX_CONFIG_BYTES) {}

  async add(name: string, { releaseVersion, patchVersion, state, config }: MaterializedView): Promise<void> {
    const fits = Buffer.byteLength(config) <= this.maxBytes - this.bytes;
    if (!fits || !this.keep(`service/${name}`, { releaseVersion, patchVersion, state, config: await exportReaders.secrets(config) })) this.leftOut.push(name);
  }

  /** A config event (`<stream>@<position>`), kept while it fits what the configs left of the bound. */
  addEvent(key: string, entry: unknown): void {
    if (!this.keep(key, entry)) this.eventsLeftOut++;
  }

  /** Keeps the entry if it fits what is left of the bound, as compact JSON. */
  private keep(key: string, entry: unknown): boolean {
    const size = Buffer.byteLength(JSON.stringify(entry));
    if (size > this.maxBytes - this.bytes) return false;
    this.entries[key] = entry;
    this.bytes += size;
    return true;
  }

  get note(): ConfigsNote {
    const kept = { services: Object.keys(this.entries).filter((key) => key.startsWith('service/')).length, bytes: this.bytes, maxBytes: this.maxBytes, truncated: this.leftOut.length > 0 || this.eventsLeftOut > 0 };
    return {
      ...kept,
      ...(this.leftOut.length > 0 ? { leftOut: [...this.leftOut] } : {}),
      ...(this.eventsLeftOut > 0 ? { eventsLeftOut: this.eventsLeftOut } : {}),
    };
  }
}

/**
 * CONFIGS: the services' current configs, and the config events of the range about the
 * services (`<stream>@<position>`, narrowed to them and redacted as exported), all within
 * MAX_CONFIG_BYTES, the configs first.
 */
export function configsOf(events: ServiceEvents, services: ServiceConfigs): Record<string, unknown> {
  for (const e of events.events.filter((x) => /config/i.test(x.type))) services.addEvent(`${e.stream}@${e.position}`, { type: e.type, data: e.data });
  return services.entries;
}
