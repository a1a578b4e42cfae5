import { ReaderRedaction } from '@slipway/runtime';

/*
 * What an export writes and an import keeps and shows of configs, redacted as a gateway shows
 * them to a reader, long texts on worker threads of telemetry's own: an export holds up to
 * 8 MiB of configs, whose YAML would take the parser seconds on the loop that status queries
 * wait on.
 */

/** For an export's files, collected in the background: never refused for waiting (the export would fail for good). */
export const exportReaders = new ReaderRedaction(Infinity);

/** For an import (a command: refused "retry shortly", it is retried) and reads of its configs (any `read` token): as many waiting as a gateway lets wait. */
export const importReaders = new ReaderRedaction();
