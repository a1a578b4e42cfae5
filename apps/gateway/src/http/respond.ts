import type { FastifyReply, FastifyRequest } from 'fastify';
import { Document, visit } from 'yaml';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

interface MediaRange { type: string; subtype: string; q: number; order: number }

/** Accept's media ranges, with their `q` (1 when absent); malformed ones are left out. */
function mediaRanges(accept: string): MediaRange[] {
  return accept.toLowerCase().split(',').flatMap((range, order) => {
    const [mediaType = '', ...parameters] = range.split(';').map((part) => part.trim());
    const [type, subtype] = mediaType.split('/');
    const qParameter = parameters.find((p) => /^q\s*=/.test(p));
    const q = qParameter === undefined ? 1 : Number(qParameter.replace(/^q\s*=\s*/, ''));
    return type && subtype && q >= 0 && q <= 1 ? [{ type, subtype, q, order }] : [];
  });
}

/** The range that decides a media type's quality: the most specific one matching it (type/subtype, then type/*, then *\/*). */
function decidingRange(ranges: MediaRange[], mediaType: string): MediaRange | undefined {
  const [type, subtype] = mediaType.split('/');
  const specificity = (r: MediaRange) => (r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1);
  return ranges.filter((r) => specificity(r) >= 0).sort((a, b) => specificity(b) - specificity(a) || a.order - b.order)[0];
}

/**
 * Does the client prefer YAML? Each type's quality comes from the most specific range of
 * Accept that matches it (RFC 9110: `application/json;q=0, *\/*` refuses JSON; `text/*`
 * reaches text/yaml); `q=0` means not acceptable. YAML when a YAML type is valued above
 * JSON, or as high by a range listed first; JSON otherwise (and with no Accept).
 */
export function wantsYaml(request: FastifyRequest): boolean {
  const ranges = mediaRanges(String(request.headers.accept ?? ''));
  const json = decidingRange(ranges, 'application/json');
  const yaml = YAML_TYPES.map((t) => decidingRange(ranges, t)).filter((r): r is MediaRange => r !== undefined)
    .sort((a, b) => b.q - a.q || a.order - b.order)[0];
  if (!yaml || yaml.q === 0) return false;
  if (!json || json.q === 0) return true;
  return yaml.q > json.q || (yaml.q === json.q && yaml.order < json.order);
}

/** Writes a body as YAML or JSON by the Accept header; a string body is sent as text. */
export function send(request: FastifyRequest, reply: FastifyReply, status: number, body: unknown): void {
  reply.status(status);
  if (typeof body === 'string') {
    void reply.type('text/plain; charset=utf-8').send(body);
    return;
  }
  // The same URL answers JSON or YAML by Accept: a shared cache must key on it.
  const vary = reply.getHeader('vary');
  reply.header('vary', vary ? `${String(vary)}, Accept` : 'Accept');
  if (wantsYaml(request)) {
    void reply.type('application/yaml').send(yamlText(body));
  } else {
    void reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
  }
}

/**
 * Strings a YAML 1.1 reader would take for something else, which YAML 1.2 writers leave
 * plain: booleans (`yes`, `on`, `y`), numbers with `_` or in base 60, dates, the value and
 * merge keys (`=`, `<<`: PyYAML refuses them), text holding a line break of 1.1's own
 * (NEL, LS, PS: plain, 1.1 readers break the line there or fail; quoted, they are escaped),
 * and text holding a character neither version lets a document hold raw (DEL, the C1
 * controls, U+FFFE, U+FFFF: PyYAML refuses the whole answer), which must be escaped.
 * Readers of 1.1 are common (go-yaml v2 under sigs.k8s.io/yaml, PyYAML), and a label value
 * `yes` must reach them as text.
 */
const READ_OTHERWISE_BY_YAML_1_1 = new RegExp([
  '^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|=|<<)$',
  '[\u007f-\u009f\u2028\u2029\ufffe\uffff]',
  '^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\\.[0-9_]+)$',
  '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \\t])',
].join('|'));

/** YAML 1.1's line breaks beyond \n and \r, as the double-quoted style escapes them. */
const LINE_BREAK_ESCAPES: Record<string, string> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

/** What the writer leaves raw in double quotes and must not: 1.1's line breaks, and what YAML does not let a document hold. */
const ESCAPED_HERE = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/g;

const escaped = (character: string): string => {
  const code = character.charCodeAt(0);
  return LINE_BREAK_ESCAPES[character] ?? (code <= 0xff ? `\\x${code.toString(16).toUpperCase()}` : `\\u${code.toString(16).toUpperCase()}`);
};

/**
 * YAML (1.2) that readers of YAML 1.1 read the same: the strings above double-quoted, and
 * the line breaks of 1.1 and the characters no YAML holds raw escaped in them (the writer
 * leaves them raw: a 1.1 reader folds a NEL into a space, and refuses a DEL). A string
 * holding one is always double-quoted, so each is escaped.
 */
export function yamlText(body: unknown): string {
  const document = new Document(body);
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && READ_OTHERWISE_BY_YAML_1_1.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString().replace(ESCAPED_HERE, escaped);
}
