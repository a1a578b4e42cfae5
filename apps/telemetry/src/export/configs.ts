import type { ServiceEvents } from './audit-events';
import { redactSecrets } from '@slipway/contracts';
import type { ResolvedService } from './resolve-service';

/**
 * CONFIGS: each service's current materialized config (`service/<name>`), and the config
 * events of the range about the services (`<stream>@<position>`, narrowed to them);
 * all redacted.
 */
export function configsOf(events: ServiceEvents, services: ResolvedService[]): Record<string, unknown> {
  const configs: Record<string, unknown> = {};
  for (const { name, materialized } of services) {
    if (!materialized) continue;
    const { releaseVersion, patchVersion, state, config } = materialized;
    configs[`service/${name}`] = { releaseVersion, patchVersion, state, config: redactSecrets(config) };
  }
  for (const e of events.events.filter((x) => /config/i.test(x.type))) configs[`${e.stream}@${e.position}`] = { type: e.type, data: e.data };
  return configs;
}
