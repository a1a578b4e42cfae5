import path from 'node:path';
import type { BaseDocument } from '@slipway/contracts';
import { OffLoop } from '@slipway/runtime';
import type { ParsedPatch } from './parse-patches';
import { parseBaseConfigs, parsePatches } from './uploaded-texts';

/**
 * An upload's text read on a worker thread when it is large (READ_OFF_LOOP_FROM): YAML takes
 * its reader about a second per MiB (uploads are up to 4 MiB), time every other command of
 * the config-store, and its handlers' heartbeats, would wait out.
 */
const offLoop = new OffLoop(path.join(__dirname, `uploaded-texts${path.extname(__filename)}`));

export const readBaseConfigs = (text: string): Promise<BaseDocument[]> => offLoop.read(text, 'parseBaseConfigs', parseBaseConfigs);

export const readPatches = (text: string): Promise<ParsedPatch[]> => offLoop.read(text, 'parsePatches', parsePatches);
