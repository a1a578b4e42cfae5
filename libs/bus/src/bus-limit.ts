import type { Bus } from './bus';

/** Room left for a message's headers (message id, atomic batch headers) under max_payload. */
const HEADER_ROOM = 1024;

/**
 * The most bytes a message body may have on this connection's server (its max_payload,
 * less room for headers); undefined before the server has said.
 */
export function busLimit(bus: Bus): number | undefined {
  const max = bus.nc.info?.max_payload;
  return max === undefined ? undefined : max - HEADER_ROOM;
}

/** "N bytes, more than … carries": the words every refusal over the limit uses. */
export function overBusLimit(bus: Bus, bytes: number): string | undefined {
  const limit = busLimit(bus);
  if (limit === undefined || bytes <= limit) return undefined;
  return `${bytes} bytes, more than this installation's command bus carries (${limit}; NATS max_payload ${bus.nc.info!.max_payload})`;
}
