import { DomainError, quoted, shownKey } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { refuseDuplicateKeys } from '../../http/json-duplicate-keys';
import { jsonFault } from '../../http/json-fault';
import { refusal } from '../../http/body-parsers';
import { refuseUnkeepable } from '../../http/keepable';
import { parseBody, READ_AS_YAML } from '../../http/parse-body';
import { urlEncodedPairs } from '../../http/query';
import { parseMultipart } from './multipart';

/** YAML media types (those the other dialects read as YAML, but plain text and forms, read as form fields here). */
const isYamlType = (type: string): boolean => READ_AS_YAML.test(type) && !/^(?:text\/plain|application\/x-www-form-urlencoded)$/.test(type);
const mediaType = (type: string): string => type.split(';')[0]!.trim().toLowerCase();

/**
 * The document's field for files: a multipart part of this name is a file, sent with a file
 * name or without one (`curl -F 'file=<configs.yaml'` sends none). Read as a text field, it
 * was taken for no file at all, and its upload was told to send one.
 */
const FILE_FIELD = 'file';

export interface UploadedFile {
  /** As sent; empty when the part had none. */
  filename: string;
  bytes: Buffer;
}

/**
 * A request's fields, whatever the client sent: the document asks for form encoding but
 * its own Python examples send JSON text (even under a form content type), so a body
 * that reads as a JSON object is taken as JSON; otherwise form or multipart fields.
 */
export class InstabaseInput {
  private constructor(readonly values: Map<string, unknown[]>, readonly files: Map<string, UploadedFile>) {}

  /**
   * The request's fields; with `fields`, the only ones the endpoint takes (the document's
   * table): any other is refused naming it, as a misspelt `dryRun` must not make a dry
   * run a real write. An endpoint that takes none says `[]`: a body meant for another
   * (`{"objects": [...]}` to a push of everything) is refused, not ignored.
   */
  static async of(request: FastifyRequest, fields?: readonly string[]): Promise<InstabaseInput> {
    const input = await InstabaseInput.read(request);
    if (fields) {
      const unknown = [...input.values.keys(), ...input.files.keys()].find((name) => !fields.includes(name));
      if (unknown !== undefined) {
        const takes = fields.length === 0 ? 'no fields' : fields.map((f) => `"${f}"`).join(', ');
        throw new DomainError('invalid', `unknown field "${shownKey(unknown)}": this endpoint takes ${takes}`, shownKey(unknown));
      }
    }
    return input;
  }

  private static async read(request: FastifyRequest): Promise<InstabaseInput> {
    const body = request.body;
    const type = String(request.headers['content-type'] ?? '');
    // Multipart and binary bodies arrive as bytes (server.ts), everything else as text.
    if (Buffer.isBuffer(body) && !startsLikeJson(body)) return InstabaseInput.ofBytes(body, type);
    const raw = Buffer.isBuffer(body) ? utf8Text(body, 'request body', undefined) : body;
    const values = new Map<string, unknown[]>();
    const add = (key: string, value: unknown) => values.set(key, [...(values.get(key) ?? []), value]);
    if (typeof raw !== 'string' || raw.trim() === '') return new InstabaseInput(values, new Map());
    const json = tryJson(raw);
    if (json !== undefined) {
      for (const [key, value] of Object.entries(json)) add(key, value);
    } else if (type.toLowerCase().includes('json')) {
      throw new DomainError('invalid', 'malformed JSON body: expected a JSON object');
    } else if (isYamlType(mediaType(type))) {
      // What GET answers as YAML (settings, say) sent back as it came: read as YAML, not as form fields.
      const document = await parseBody(raw, mediaType(type));
      if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new DomainError('invalid', 'a YAML body must be a mapping of the endpoint\'s fields');
      for (const [key, value] of Object.entries(document)) add(key, value);
    } else if (type.trim() !== '' && !/^\s*(application\/x-www-form-urlencoded|text\/plain)\s*(;|$)/i.test(type)) {
      // Not read at all: 415, as for a body of any dialect whose media type is not read.
      throw refusal(415, `${mediaType(type)} bodies are not read here: send form fields, a JSON or YAML object, or multipart/form-data`);
    } else {
      for (const [key, value] of urlEncodedPairs(raw)) add(key, value);
    }
    return new InstabaseInput(values, new Map());
  }

  private static ofBytes(body: Buffer, type: string): InstabaseInput {
    const values = new Map<string, unknown[]>();
    const files = new Map<string, UploadedFile>();
    if (body.length === 0) return new InstabaseInput(values, files);
    if (!type.toLowerCase().startsWith('multipart/form-data')) {
      throw refusal(415, `a ${mediaType(type) || 'binary'} body is not accepted here: send files as multipart/form-data, in the field "file"`);
    }
    for (const part of parseMultipart(body, type)) {
      if (part.filename !== undefined || part.name === FILE_FIELD) {
        if (files.has(part.name)) throw new DomainError('invalid', `${shownKey(part.name)}: more than one file; send one`, shownKey(part.name));
        files.set(part.name, { filename: part.filename ?? '', bytes: part.content });
      }
      else values.set(part.name, [...(values.get(part.name) ?? []), utf8Text(part.content, part.name, part.name)]);
    }
    return new InstabaseInput(values, files);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /**
   * The last value of a field, which must be text: a JSON number or boolean is refused, not
   * turned into one (`1.10` would become "1.1", `true` a namespace named "true").
   */
  text(name: string): string | undefined {
    const value = this.single(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    throw new DomainError('invalid', `${name} must be a string, not ${quoted(value)}`, name);
  }

  required(name: string): string {
    const value = this.text(name);
    if (value === undefined && this.files.has(name)) throw new DomainError('invalid', `${name} must be sent as a text field, not as a file`, name);
    if (value === undefined || value === '') throw new DomainError('invalid', `${name} is required`, name);
    return value;
  }

  /** Every value of a repeated field (`label=a&label=b`, or a JSON list). */
  list(name: string): string[] {
    return (this.values.get(name) ?? []).flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => {
      if (typeof v !== 'string') throw new DomainError('invalid', `${name} must be a string or a list of strings`, name);
      return v;
    });
  }

  bool(name: string, fallback?: boolean): boolean | undefined {
    const value = this.single(name);
    return value === undefined ? fallback : toBool(value, name);
  }

  /**
   * The one value of a field that takes one: sent twice (`dry_run=true&dry_run=false`,
   * `pod=a&pod=b`), it is refused, not taken at random from the two.
   */
  private single(name: string): unknown {
    const all = this.values.get(name);
    if (all && all.length > 1) throw new DomainError('invalid', `${shownKey(name)}: given more than once; send it once`, shownKey(name));
    return all?.[0];
  }

  file(name: string): UploadedFile | undefined {
    return this.files.get(name);
  }

  /**
   * The text of a field, or the file sent in its place (as a file, or as the text of a form or
   * JSON field of the file's name); both at once is refused.
   */
  textOrFile(name: string, file: string): { text?: string; file?: UploadedFile } {
    const uploaded = this.files.get(file);
    if ((uploaded || this.has(file)) && this.has(name)) throw new DomainError('invalid', `send either "${name}" or "${file}", not both`, name);
    if (uploaded) return { file: uploaded };
    return { text: this.has(file) ? this.text(file) : this.text(name) };
  }

  /** The fields as an object, booleans given as "true"/"false" turned into booleans. */
  object(booleans: readonly string[] = []): Record<string, unknown> {
    return Object.fromEntries([...this.values.keys()].map((k) => [k, booleans.includes(k) ? toBool(this.single(k), k) : this.single(k)]));
  }
}

/** Strict: bytes that are no UTF-8 are refused, not turned into U+FFFD and stored. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function utf8Text(bytes: Buffer, what: string, field: string | undefined): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new DomainError('invalid', `${what} is not UTF-8 text`, field);
  }
}

/** The document's Python examples send JSON text under any content type, multipart included. */
function startsLikeJson(body: Buffer): boolean {
  const first = body.findIndex((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  return first >= 0 && body[first] === 0x7b;
}

function tryJson(raw: string): Record<string, unknown> | undefined {
  if (!raw.trimStart().startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new DomainError('invalid', `malformed JSON body: ${jsonFault(raw, (error as Error).message)}`);
  }
  refuseDuplicateKeys(raw, 'malformed JSON body');
  refuseUnkeepable(value);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function toBool(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false|1|0)$/i.test(value.trim())) return /^(true|1)$/i.test(value.trim());
  throw new DomainError('invalid', `${field} must be true or false, not ${quoted(value)}`, field);
}
