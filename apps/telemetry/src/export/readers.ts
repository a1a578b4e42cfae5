import { ReaderRedaction } from '@slipway/runtime';

/**
 * What an export writes and an import keeps and shows of configs, redacted as a gateway shows
 * them to a reader, long texts on a worker thread of telemetry's own: an export holds up to
 * 8 MiB of configs, whose YAML would take the parser seconds on the loop status queries wait
 * on. No read is refused for waiting: an export collects in the background and would fail
 * for good (imports are as many at once as their consumer takes, each bounded in size).
 */
export const readers = new ReaderRedaction(Infinity);
