import path from 'node:path';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { DomainError } from '@slipway/contracts';
import { OffLoop, OffLoopBusy } from '@slipway/runtime';
import { refuseDuplicateKeys } from './json-duplicate-keys';
import { jsonFault } from './json-fault';
import { refuseUnkeepable } from './keepable';
import { readYamlBody } from './read-yaml-body';

/**
 * The media types read as a document: JSON (and `+json`), YAML (and `+yaml`), and text that is neither
 * labelled otherwise (plain text, and what `curl -d` sends without a Content-Type of its
 * own), read as YAML, which JSON is a part of.
 */
export const READ_AS_YAML = /^(?:application|text)\/(?:x-)?(?:[\w.-]+\+)?ya?ml$|^text\/plain$|^application\/x-www-form-urlencoded$/;
const READ_AS_JSON = /^(?:application|text)\/(?:x-)?(?:[\w.-]+\+)?json$/;

/**
 * YAML bodies of READ_OFF_LOOP_FROM characters or more are read on a worker thread, not on
 * the event loop every other request waits on; one at a time, the rest waiting their turn,
 * at most READING_WAITS of them (each holding its body): one more is refused 503, "retry
 * shortly", before it is read.
 */
const READING_WAITS = 8;
const offLoop = new OffLoop(path.join(__dirname, `read-yaml-body${path.extname(__filename)}`), { maxWaiting: READING_WAITS });

async function readYamlOffLoop(raw: string): Promise<unknown> {
  try {
    return await offLoop.read(raw, 'readYamlBody', readYamlBody);
  } catch (error) {
    if (error instanceof OffLoopBusy) throw new DomainError('unavailable', `the gateway is reading ${error.waiting} other large YAML bodies; nothing was done: retry shortly`);
    throw error;
  }
}

/**
 * Parses a request body as JSON or YAML by its content type (YAML is a superset, so an
 * unlabelled body is read as YAML); any other type is refused 415. Errors name the line
 * and column. A key twice in one object is refused in either. So is what no later step
 * could keep or walk safely: nesting deeper than MAX_BODY_DEPTH, a NUL or a lone surrogate
 * (Postgres stores neither), an alias inside the node it names (a cycle).
 */
export async function parseBody(raw: unknown, contentType: string | undefined): Promise<unknown> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const json = READ_AS_JSON.test(type);
  // Bytes (multipart, an archive) are no document, whatever the caller takes the type for.
  if ((type !== '' && !json && !READ_AS_YAML.test(type)) || Buffer.isBuffer(raw)) throw new UnsupportedMediaTypeException();
  if (raw === undefined || raw === null || raw === '') throw new DomainError('invalid', 'request body is empty; send a JSON or YAML document');
  if (typeof raw === 'string' && !json) return readYamlOffLoop(raw);
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  refuseUnkeepable(value);
  return value;
}

function parseJson(raw: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new DomainError('invalid', `malformed JSON: ${jsonFault(raw, (error as Error).message)}`);
  }
  refuseDuplicateKeys(raw, 'malformed JSON');
  return parsed;
}
