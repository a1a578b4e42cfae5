// Test-only (excluded from the build).
import { NATS_MAX_PAYLOAD } from './nats-server';

/** A nats-server config file that sets what the embedded stack sets: the payload limit, an fsync per JetStream write. */
export function expectEmbeddedNatsSettings(config: string): void {
  expect(config).toMatch(new RegExp(`^max_payload: ${NATS_MAX_PAYLOAD}$`, 'm'));
  expect(config).toMatch(/^jetstream \{[^}]*^\s+sync_interval: always$[^}]*\}/ms);
}
