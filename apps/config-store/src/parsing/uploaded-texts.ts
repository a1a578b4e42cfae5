// What the config-store reads out of an upload's text, in one module: an upload of READ_OFF_LOOP_FROM
// characters or more is read by it on a worker thread (read-off-loop.ts), which loads this alone.
export { parseBaseConfigs } from './parse-base-configs';
export { parsePatches } from './parse-patches';
