import { ReaderRedaction } from '@slipway/runtime';

/**
 * What an export writes and an import keeps of configs, redacted as a gateway shows them to a
 * reader, large ones on a worker thread of telemetry's own: an export holds up to 8 MiB of
 * configs, whose YAML would take the parser seconds on the loop status queries wait on.
 */
export const readers = new ReaderRedaction();
