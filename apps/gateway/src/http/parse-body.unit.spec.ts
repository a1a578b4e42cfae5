import { parseBody } from './parse-body';

const YAML = 'application/yaml';
const refusal = (body: string, type = YAML): string => {
  try {
    parseBody(body, type);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the body was accepted');
};

describe('parseBody', () => {
  it('given malformed YAML, then the message gives the position once', () => {
    expect(refusal('metadata:\n  name: a\n  name: b\n')).toBe('malformed YAML: the key "name" appears twice in one map (metadata.name) (line 3, column 3)');
  });

  it('given malformed YAML, then the message does not quote what the body holds (a secret, maybe), as for JSON', () => {
    expect(refusal('password: >Zx9!kq#tail\n')).toBe('malformed YAML: Block scalar header includes extra characters (the text is not shown: it may hold a secret) (line 1, column 12)');
    expect(refusal('password: "pa\\Ss8w0rd"\n')).toMatch(/^malformed YAML: Invalid escape sequence \\S \(line 1, column \d+\)$/);
    expect(refusal('password: "pa\\Ss8w0rd"\n')).not.toContain('s8w0rd');
    // an escape of a character outside ASCII (an emoji: two UTF-16 units) is not cut in half (review)
    expect(refusal('password: "ab\\😀cd"\n')).toMatch(/^malformed YAML: Invalid escape sequence \\ \(line 1, column \d+\)$/);
  });

  it('given a key twice in YAML, then the refusal names it as its field, as for JSON', () => {
    for (const type of [YAML, 'application/json']) {
      try {
        parseBody('{"metadata": {"name": "a", "name": "b"}}', type);
        throw new Error('the body was accepted');
      } catch (error) {
        expect(error).toMatchObject({ field: 'metadata.name' });
      }
    }
  });

  it('refuses a map or a list given as a key, naming where, and writes no warning to the log for it (one line per request, without bound)', () => {
    const warnings = jest.spyOn(process, 'emitWarning');
    try {
      // Kubernetes has none; the library makes its text at a cost growing with the anchors before it (10,000: 8 s)
      expect(refusal('? [a, b]\n: c\n')).toBe('malformed YAML: a map or a list as a key is not read (Kubernetes has none) (line 1, column 3)');
      expect(refusal('a: {? {x: 1} : c}\n')).toMatch(/^malformed YAML: a map or a list as a key is not read/);
      expect(warnings).not.toHaveBeenCalled();
    } finally {
      warnings.mockRestore();
    }
  });

  it('expands `<<` merge keys as kubectl does, the map\'s own keys first; a quoted "<<" is a key; a merge of no map is refused', () => {
    const body = 'metadata:\n  labels: &team {team: a, tier: web}\n  annotations:\n    <<: *team\n    tier: db\n    "<<": literal\n';
    expect(parseBody(body, YAML)).toEqual({ metadata: { labels: { team: 'a', tier: 'web' }, annotations: { team: 'a', tier: 'db', '<<': 'literal' } } });
    expect(parseBody('a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n', YAML)).toEqual({ a: { x: 1 }, b: { y: 2 }, c: { x: 1, y: 2 } });
    expect(refusal('metadata:\n  <<: plain\n')).toMatch(/^malformed YAML: Merge sources must be maps or map aliases/);
  });

  it('counts aliases inside what an alias names again, as the library resolves them: 30 aliases of a list of 30 are 930', () => {
    const body = `e: &e {}\ns: &s [${Array.from({ length: 30 }, () => '*e').join(', ')}]\n${Array.from({ length: 30 }, (_, i) => `u${i}: *s`).join('\n')}\n`;
    expect(refusal(body)).toBe('malformed YAML: its aliases (<< merges and those inside what they name included) stand for more than 50 nodes in all');
    expect(parseBody(`e: &e {}\ns: &s [*e, *e]\nu: *s\nv: *s\n`, YAML)).toEqual({ e: {}, s: [{}, {}], u: [{}, {}], v: [{}, {}] });
  });

  it('refuses merge keys that would copy more than 10,000 entries in all (the library builds each merge anew), before building them', () => {
    const source = `base: &b {${Array.from({ length: 2_600 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n`;
    const merges = (n: number) => Array.from({ length: n }, (_, i) => `m${i}: {<<: *b}`).join('\n');
    expect(refusal(`${source}${merges(4)}\n`)).toMatch(/^malformed YAML: its << merge keys copy \d+ entries or more; at most 10000$/);
    expect(Object.keys(parseBody(`${source}${merges(3)}\n`, YAML) as object)).toHaveLength(4);
    // each merge is an alias: at most 50, however little they copy (the library's own merging grows faster than their number)
    const empties = (n: number) => `${Array.from({ length: n }, (_, i) => `a${i}: &a${i} {}`).join('\n')}\n${Array.from({ length: n }, (_, i) => `m${i}: {<<: *a${i}}`).join('\n')}\n`;
    expect(refusal(empties(8_000))).toBe('malformed YAML: its aliases (<< merges and those inside what they name included) stand for more than 50 nodes in all');
    expect(refusal(empties(11))).toBe('malformed YAML: more than 10 maps merged with <<');
    expect(Object.keys(parseBody(empties(10), YAML) as object)).toHaveLength(20);
    // a merge of an alias of a list merges each map the list names; a list anchored in the merge itself counts too
    const listed = `e: &e {}\ns: &s [${Array.from({ length: 11 }, () => '*e').join(', ')}]\nm: {<<: *s}\n`;
    expect(refusal(listed)).toBe('malformed YAML: more than 10 maps merged with <<');
    expect(refusal(`m:\n  <<: [&z {${Array.from({ length: 2_000 }, (_, i) => `k${i}: 0`).join(', ')}}, *z, *z, *z, *z, *z]\n`)).toMatch(/copy \d+ entries or more; at most 10000$/);
    // a quoted "<<" copies nothing
    expect(parseBody(`${source}${Array.from({ length: 4 }, (_, i) => `m${i}: {"<<": *b}`).join('\n')}\n`, YAML)).toMatchObject({ m3: { '<<': { k0: 0 } } });
  });

  it('reads a YAML 1.1 !!omap as the list it is written as, not by the library\'s pairwise check (40,000 entries took 3.7 s)', () => {
    const body = `%YAML 1.1\n---\nmetadata:\n  annotations: !!omap\n  - a: "1"\n  - a: "2"\n`;
    expect(parseBody(body, YAML)).toEqual({ metadata: { annotations: [{ a: '1' }, { a: '2' }] } });
  });

  it('reads 50 aliases, and refuses 51', () => {
    const aliases = (n: number) => `metadata:\n  name: &x v\n  annotations:\n${Array.from({ length: n }, (_, i) => `    a${i}: *x\n`).join('')}`;
    expect(Object.keys((parseBody(aliases(50), YAML) as { metadata: { annotations: object } }).metadata.annotations)).toHaveLength(50);
    expect(refusal(aliases(51))).toContain('malformed YAML');
  });

  it('given YAML nested deeper than the parser can go, then it says so, without the JavaScript error', () => {
    const message = refusal(`metadata: ${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(message).toMatch(/^malformed YAML: nested too deeply \(line 1, column \d+\)$/);
    expect(parseBody('metadata: [[[1]]]\n', YAML)).toEqual({ metadata: [[[1]]] });
  });

  it('given malformed JSON, then the message says what and where, as for YAML, without quoting the text (it may hold a secret)', () => {
    const refused = (body: string) => refusal(body, 'application/json');
    const unquoted = refused('{"password": hunter2-41, "a": 1}');
    expect(unquoted).toBe("malformed JSON: Unexpected token 'h' (line 1, column 14)");
    expect(refused('{"password": "hunter2-41" "a": 1}')).toBe("malformed JSON: Expected ',' or '}' after property value (line 1, column 27)");
    expect(refused('{"a": 1} {"b": 2}')).toBe('malformed JSON: Unexpected non-whitespace character after JSON (line 1, column 10)');
  });
});

describe('parseBody, documents no later step could keep or walk', () => {
  it('refuses an alias inside the node it names (a value containing itself), and reads aliases that merely repeat', () => {
    expect(refusal('&r\nprincipal: *r\ngrants: []\n', YAML)).toBe('malformed YAML: alias *r stands for a node that contains it (line 2, column 12)');
    expect(refusal('spec: &s\n  kubernetes:\n    back: [*s]\n', YAML)).toMatch(/^malformed YAML: alias \*s stands for a node that contains it/);
    expect(parseBody('base: &b {a: 1}\ncopy: *b\n', YAML)).toEqual({ base: { a: 1 }, copy: { a: 1 } });
  });

  it('refuses a document nested deeper than 128 levels, in JSON as in YAML, and reads one at the limit', () => {
    const nested = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    expect(refusal(nested(20_000), 'application/json')).toBe('request body is nested deeper than 128 levels');
    expect(refusal(nested(128), YAML)).toBe('request body is nested deeper than 128 levels');
    expect(JSON.stringify(parseBody(nested(127), 'application/json'))).toBe(nested(127));
  });

  it('refuses a NUL or a lone surrogate, which Postgres cannot store, naming the field', () => {
    expect(refusal('{"metadata":{"name":"a\\u0000b"}}', 'application/json')).toBe('metadata.name: must not contain a NUL character (\\u0000)');
    expect(refusal('label: "x\\ud800"\n', YAML)).toMatch(/^label: must not contain an unpaired UTF-16 surrogate/);
  });
});

describe('parseBody, what it reads and refuses', () => {
  const refusalOf = (body: string, type?: string): unknown => {
    try {
      parseBody(body, type);
    } catch (error) {
      return error;
    }
    throw new Error('the body was accepted');
  };

  it('refuses a key twice in one JSON object, naming where, as it does in YAML', () => {
    expect(refusalOf('{"spec":{"kubernetes":{"namespace":"prod"}},"spec":{"kubernetes":{"namespace":"staging"}}}', 'application/json'))
      .toMatchObject({ code: 'invalid', field: 'spec', message: 'malformed JSON: the key "spec" appears twice in one object (spec)' });
    expect(refusalOf('{"metadata": {"labels": {"a": "1", "\\u0061": "2"}}}', 'application/json')).toMatchObject({ field: 'metadata.labels.a' });
    expect(refusalOf('{"items": [{"x": 1}, {"x": 2, "x": 3}]}', 'application/json')).toMatchObject({ field: 'items[].x' });
    // the same key in two objects, or inside strings, is no duplicate
    expect(parseBody('{"a": {"k": "{\\"k\\": 1}"}, "b": {"k": "\\"k\\":"}, "c": [{"k": 1}, {"k": 2}]}', 'application/json'))
      .toEqual({ a: { k: '{"k": 1}' }, b: { k: '"k":' }, c: [{ k: 1 }, { k: 2 }] });
  });

  it('refuses a media type that is no document with 415, reads JSON types as JSON and text as YAML', () => {
    for (const type of ['application/xml', 'text/xml', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
      expect(refusalOf('<x/>', type)).toMatchObject({ status: 415 });
    }
    expect(parseBody('{"a": 1}', 'application/merge-patch+json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseBody('{"a": 1}', 'text/json')).toEqual({ a: 1 });
    expect(parseBody('a: 1', 'application/apply-patch+yaml')).toEqual({ a: 1 });
    expect(parseBody('a: 1', 'application/x-yml')).toEqual({ a: 1 });
    // bytes are no document, whatever type the caller reads them as
    expect(refusalOf(Buffer.from('{"a": 1}') as never, 'application/json')).toMatchObject({ status: 415 });
    expect(parseBody('a: 1', 'text/plain')).toEqual({ a: 1 });
    expect(parseBody('a: 1', 'application/x-www-form-urlencoded')).toEqual({ a: 1 });
    expect(parseBody('a: 1', undefined)).toEqual({ a: 1 });
  });

  it('reads a YAML document ended by a separator as the one document, and a comment alone as no document', () => {
    expect(parseBody('kind: DeploymentTarget\n---\n', 'application/yaml')).toEqual({ kind: 'DeploymentTarget' });
    expect(refusalOf('# nothing here\n', 'application/yaml')).toMatchObject({ message: 'request body is empty; send a JSON or YAML document' });
    expect(refusalOf('a: 1\n---\nb: 2\n', 'application/yaml')).toMatchObject({ message: 'expected one YAML document, got 2' });
  });
});
