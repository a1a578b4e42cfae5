import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ConfigApplied, type EventDataOf } from '@slipway/contracts';
import type { RecordedEvent } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';

/**
 * The deployer applied a materialized config: remember which (release, patch) is golden for
 * the object. Idempotent by event position: a redelivery or an older event changes nothing.
 */
@Controller()
export class GoldenHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @EventPattern(ConfigApplied.subject)
  async applied(@Payload() event: RecordedEvent<EventDataOf<typeof ConfigApplied>>): Promise<void> {
    const { objectName, releaseVersion, patchVersion } = event.data;
    await this.db.query(
      `INSERT INTO golden_configs (object_name, release_version, patch_version, position) VALUES ($1, $2, $3, $4)
       ON CONFLICT (object_name) DO UPDATE SET release_version = EXCLUDED.release_version, patch_version = EXCLUDED.patch_version,
         position = EXCLUDED.position WHERE golden_configs.position < EXCLUDED.position`,
      [objectName, releaseVersion, patchVersion ?? 0, event.position],
    );
  }
}
