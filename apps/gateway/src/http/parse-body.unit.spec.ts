import { DomainError } from '@slipway/contracts';
import { READ_OFF_LOOP_FROM } from '@slipway/runtime';
import { settledOffThread } from '@slipway/testing';
import { parseBody } from './parse-body';

const YAML = 'application/yaml';
const refusal = async (body: string, type = YAML): Promise<string> => {
  try {
    await parseBody(body, type);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the body was accepted');
};

describe('parseBody', () => {
  it('given malformed YAML, then the message gives the position once', async () => {
    expect(await refusal('metadata:\n  name: a\n  name: b\n')).toBe('malformed YAML: the key "name" appears twice in one map (metadata.name) (line 3, column 3)');
  });

  it('given malformed YAML, then the message does not quote what the body holds (a secret, maybe), as for JSON', async () => {
    expect(await refusal('password: >Zx9!kq#tail\n')).toBe('malformed YAML: Block scalar header includes extra characters (the text is not shown: it may hold a secret) (line 1, column 12)');
    expect(await refusal('password: "pa\\Ss8w0rd"\n')).toMatch(/^malformed YAML: Invalid escape sequence \\S \(line 1, column \d+\)$/);
    expect(await refusal('password: "pa\\Ss8w0rd"\n')).not.toContain('s8w0rd');
    // an escape of a character outside ASCII (an emoji: two UTF-16 units) is not cut in half (review)
    expect(await refusal('password: "ab\\😀cd"\n')).toMatch(/^malformed YAML: Invalid escape sequence \\ \(line 1, column \d+\)$/);
  });

  it('given a key twice in YAML, then the refusal names it as its field, as for JSON', async () => {
    for (const type of [YAML, 'application/json']) {
      try {
        await parseBody('{"metadata": {"name": "a", "name": "b"}}', type);
        throw new Error('the body was accepted');
      } catch (error) {
        expect(error).toMatchObject({ field: 'metadata.name' });
      }
    }
  });

  it('refuses a map or a list given as a key, naming where, and writes no warning to the log for it (one line per request, without bound)', async () => {
    const warnings = jest.spyOn(process, 'emitWarning');
    try {
      // Kubernetes has none; the library makes its text at a cost growing with the anchors before it (10,000: 8 s)
      expect(await refusal('? [a, b]\n: c\n')).toBe('malformed YAML: a map or a list as a key is not read (Kubernetes has none) (line 1, column 3)');
      expect(await refusal('a: {? {x: 1} : c}\n')).toMatch(/^malformed YAML: a map or a list as a key is not read/);
      expect(warnings).not.toHaveBeenCalled();
    } finally {
      warnings.mockRestore();
    }
  });

  it('expands `<<` merge keys as kubectl does, the map\'s own keys first; a quoted "<<" is a key; a merge of no map is refused', async () => {
    const body = 'metadata:\n  labels: &team {team: a, tier: web}\n  annotations:\n    <<: *team\n    tier: db\n    "<<": literal\n';
    expect(await parseBody(body, YAML)).toEqual({ metadata: { labels: { team: 'a', tier: 'web' }, annotations: { team: 'a', tier: 'db', '<<': 'literal' } } });
    expect(await parseBody('a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n', YAML)).toEqual({ a: { x: 1 }, b: { y: 2 }, c: { x: 1, y: 2 } });
    expect(await refusal('metadata:\n  <<: plain\n')).toMatch(/^malformed YAML: Merge sources must be maps or map aliases/);
  });

  it('counts aliases inside what an alias names again, as the library resolves them: 30 aliases of a list of 30 are 930', async () => {
    const body = `e: &e {}\ns: &s [${Array.from({ length: 30 }, () => '*e').join(', ')}]\n${Array.from({ length: 30 }, (_, i) => `u${i}: *s`).join('\n')}\n`;
    expect(await refusal(body)).toBe('malformed YAML: its aliases (<< merges and those inside what they name included) stand for more than 50 nodes in all');
    expect(await parseBody(`e: &e {}\ns: &s [*e, *e]\nu: *s\nv: *s\n`, YAML)).toEqual({ e: {}, s: [{}, {}], u: [{}, {}], v: [{}, {}] });
  });

  it('refuses merge keys that would copy more than 10,000 entries in all (the library builds each merge anew), before building them', async () => {
    const source = `base: &b {${Array.from({ length: 2_600 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n`;
    const merges = (n: number) => Array.from({ length: n }, (_, i) => `m${i}: {<<: *b}`).join('\n');
    expect(await refusal(`${source}${merges(4)}\n`)).toMatch(/^malformed YAML: its << merge keys copy \d+ entries or more; at most 10000$/);
    expect(Object.keys(await parseBody(`${source}${merges(3)}\n`, YAML) as object)).toHaveLength(4);
    // each merge is an alias: at most 50, however little they copy (the library's own merging grows faster than their number)
    const empties = (n: number) => `${Array.from({ length: n }, (_, i) => `a${i}: &a${i} {}`).join('\n')}\n${Array.from({ length: n }, (_, i) => `m${i}: {<<: *a${i}}`).join('\n')}\n`;
    expect(await refusal(empties(8_000))).toBe('malformed YAML: its aliases (<< merges and those inside what they name included) stand for more than 50 nodes in all');
    expect(await refusal(empties(11))).toBe('malformed YAML: more than 10 maps merged with <<');
    expect(Object.keys(await parseBody(empties(10), YAML) as object)).toHaveLength(20);
    // a merge of an alias of a list merges each map the list names; a list anchored in the merge itself counts too
    const listed = `e: &e {}\ns: &s [${Array.from({ length: 11 }, () => '*e').join(', ')}]\nm: {<<: *s}\n`;
    expect(await refusal(listed)).toBe('malformed YAML: more than 10 maps merged with <<');
    expect(await refusal(`m:\n  <<: [&z {${Array.from({ length: 2_000 }, (_, i) => `k${i}: 0`).join(', ')}}, *z, *z, *z, *z, *z]\n`)).toMatch(/copy \d+ entries or more; at most 10000$/);
    // a quoted "<<" copies nothing
    expect(await parseBody(`${source}${Array.from({ length: 4 }, (_, i) => `m${i}: {"<<": *b}`).join('\n')}\n`, YAML)).toMatchObject({ m3: { '<<': { k0: 0 } } });
  });

  it('reads a YAML 1.1 !!omap as the list it is written as, not by the library\'s pairwise check (40,000 entries took 3.7 s)', async () => {
    const body = `%YAML 1.1\n---\nmetadata:\n  annotations: !!omap\n  - a: "1"\n  - a: "2"\n`;
    expect(await parseBody(body, YAML)).toEqual({ metadata: { annotations: [{ a: '1' }, { a: '2' }] } });
  });

  it('reads 50 aliases, and refuses 51', async () => {
    const aliases = (n: number) => `metadata:\n  name: &x v\n  annotations:\n${Array.from({ length: n }, (_, i) => `    a${i}: *x\n`).join('')}`;
    expect(Object.keys(((await parseBody(aliases(50), YAML)) as { metadata: { annotations: object } }).metadata.annotations)).toHaveLength(50);
    expect(await refusal(aliases(51))).toContain('malformed YAML');
  });

  it('given YAML nested deeper than the parser can go, then it says so, without the JavaScript error', async () => {
    const message = await refusal(`metadata: ${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(message).toMatch(/^malformed YAML: nested too deeply \(line 1, column \d+\)$/);
    expect(await parseBody('metadata: [[[1]]]\n', YAML)).toEqual({ metadata: [[[1]]] });
  });

  it('given malformed JSON, then the message says what and where, as for YAML, without quoting the text (it may hold a secret)', async () => {
    const refused = (body: string) => refusal(body, 'application/json');
    const unquoted = await refused('{"password": hunter2-41, "a": 1}');
    expect(unquoted).toBe("malformed JSON: Unexpected token 'h' (line 1, column 14)");
    expect(await refused('{"password": "hunter2-41" "a": 1}')).toBe("malformed JSON: Expected ',' or '}' after property value (line 1, column 27)");
    expect(await refused('{"a": 1} {"b": 2}')).toBe('malformed JSON: Unexpected non-whitespace character after JSON (line 1, column 10)');
  });
});

describe('parseBody, documents no later step could keep or walk', () => {
  it('refuses an alias inside the node it names (a value containing itself), and reads aliases that merely repeat', async () => {
    expect(await refusal('&r\nprincipal: *r\ngrants: []\n', YAML)).toBe('malformed YAML: alias *r stands for a node that contains it (line 2, column 12)');
    expect(await refusal('spec: &s\n  kubernetes:\n    back: [*s]\n', YAML)).toMatch(/^malformed YAML: alias \*s stands for a node that contains it/);
    expect(await parseBody('base: &b {a: 1}\ncopy: *b\n', YAML)).toEqual({ base: { a: 1 }, copy: { a: 1 } });
  });

  it('refuses a document nested deeper than 128 levels, in JSON as in YAML, and reads one at the limit', async () => {
    const nested = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    expect(await refusal(nested(20_000), 'application/json')).toBe('request body is nested deeper than 128 levels');
    expect(await refusal(nested(128), YAML)).toBe('request body is nested deeper than 128 levels');
    expect(JSON.stringify(await parseBody(nested(127), 'application/json'))).toBe(nested(127));
  });

  it('refuses a NUL or a lone surrogate, which Postgres cannot store, naming the field', async () => {
    expect(await refusal('{"metadata":{"name":"a\\u0000b"}}', 'application/json')).toBe('metadata.name: must not contain a NUL character (\\u0000)');
    expect(await refusal('label: "x\\ud800"\n', YAML)).toMatch(/^label: must not contain an unpaired UTF-16 surrogate/);
  });
});

describe('parseBody, what it reads and refuses', () => {
  const refusalOf = async (body: string, type?: string): Promise<unknown> => {
    try {
      await parseBody(body, type);
    } catch (error) {
      return error;
    }
    throw new Error('the body was accepted');
  };

  it('refuses a key twice in one JSON object, naming where, as it does in YAML', async () => {
    expect(await refusalOf('{"spec":{"kubernetes":{"namespace":"prod"}},"spec":{"kubernetes":{"namespace":"staging"}}}', 'application/json'))
      .toMatchObject({ code: 'invalid', field: 'spec', message: 'malformed JSON: the key "spec" appears twice in one object (spec)' });
    expect(await refusalOf('{"metadata": {"labels": {"a": "1", "\\u0061": "2"}}}', 'application/json')).toMatchObject({ field: 'metadata.labels.a' });
    expect(await refusalOf('{"items": [{"x": 1}, {"x": 2, "x": 3}]}', 'application/json')).toMatchObject({ field: 'items[].x' });
    // the same key in two objects, or inside strings, is no duplicate
    expect(await parseBody('{"a": {"k": "{\\"k\\": 1}"}, "b": {"k": "\\"k\\":"}, "c": [{"k": 1}, {"k": 2}]}', 'application/json'))
      .toEqual({ a: { k: '{"k": 1}' }, b: { k: '"k":' }, c: [{ k: 1 }, { k: 2 }] });
  });

  it('refuses a media type that is no document with 415, reads JSON types as JSON and text as YAML', async () => {
    for (const type of ['application/xml', 'text/xml', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
      expect(await refusalOf('<x/>', type)).toMatchObject({ status: 415 });
    }
    expect(await parseBody('{"a": 1}', 'application/merge-patch+json; charset=utf-8')).toEqual({ a: 1 });
    expect(await parseBody('{"a": 1}', 'text/json')).toEqual({ a: 1 });
    expect(await parseBody('a: 1', 'application/apply-patch+yaml')).toEqual({ a: 1 });
    expect(await parseBody('a: 1', 'application/x-yml')).toEqual({ a: 1 });
    // bytes are no document, whatever type the caller reads them as
    expect(await refusalOf(Buffer.from('{"a": 1}') as never, 'application/json')).toMatchObject({ status: 415 });
    expect(await parseBody('a: 1', 'text/plain')).toEqual({ a: 1 });
    expect(await parseBody('a: 1', 'application/x-www-form-urlencoded')).toEqual({ a: 1 });
    expect(await parseBody('a: 1', undefined)).toEqual({ a: 1 });
  });

  it('reads a YAML document ended by a separator as the one document, and a comment alone as no document', async () => {
    expect(await parseBody('kind: DeploymentTarget\n---\n', 'application/yaml')).toEqual({ kind: 'DeploymentTarget' });
    expect(await refusalOf('# nothing here\n', 'application/yaml')).toMatchObject({ message: 'request body is empty; send a JSON or YAML document' });
    expect(await refusalOf('a: 1\n---\nb: 2\n', 'application/yaml')).toMatchObject({ message: 'expected one YAML document, got 2' });
  });
});

describe('parseBody, a large YAML body', () => {
  const readElsewhere = (body: string) => settledOffThread(parseBody(body, YAML));
  // Comment lines make a body long without changing what it says (or its later lines' numbers, once added to both).
  const padded = (body: string) => `${'#'.repeat(READ_OFF_LOOP_FROM)}\n${body}`;
  const small = (body: string) => `#\n${body}`;

  it('reads !!binary as Kubernetes does, as its text decoded, whichever thread reads it; bytes that are no text are refused', async () => {
    for (const body of [small('x: !!binary aGk=\n'), padded('x: !!binary aGk=\n')]) expect(await parseBody(body, YAML)).toEqual({ x: 'hi' });
    await expect(parseBody('x: !!binary //79\n', YAML)).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/^malformed YAML: !!binary holds bytes that are no UTF-8 text/) });
  });

  it('is read off the event loop, and a small one at once', async () => {
    expect(await readElsewhere(padded('a: 1\n'))).toEqual({ elsewhere: true, outcome: { a: 1 } });
    expect(await readElsewhere(small('a: 1\n'))).toEqual({ elsewhere: false, outcome: { a: 1 } });
  });

  it('is read and refused as a small one is: the same value, the same refusal with its field and line', async () => {
    const bodies = [
      'metadata:\n  name: a\n  labels: {x: "1"}\n  annotations: &n {k: v}\nspec: {copy: *n}\n',
      'metadata:\n  name: a\n  name: b\n',
      'label: "x\\ud800"\n',
      `a: ${'['.repeat(200)}${']'.repeat(200)}\n`,
      'a: 1\n---\nb: 2\n',
      '? [a, b]\n: c\n',
      'x: !!binary aGk=\n',
      'x: !!binary //79\n',
      '%YAML 1.1\n---\nx: !!binary aGk=\n',
    ];
    for (const body of bodies) {
      const [large, reference] = [await readElsewhere(padded(body)), await readElsewhere(small(body))];
      expect(large.elsewhere).toBe(true);
      expect(reference.elsewhere).toBe(false);
      if (reference.outcome instanceof Error) {
        expect(large.outcome).toBeInstanceOf(DomainError);
        expect(reference.outcome).toBeInstanceOf(DomainError);
        expect({ ...(large.outcome as DomainError).toJSON() }).toEqual({ ...(reference.outcome as DomainError).toJSON() });
      } else {
        expect(large.outcome).toEqual(reference.outcome);
      }
    }
  });

  it('refuses a large body past the eight waiting to be read with "retry shortly" (503), before reading it, and reads the others', async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => parseBody(padded(`n: ${i}\n`), YAML).catch((error: unknown) => error)));
    expect(outcomes.slice(0, 8)).toEqual(Array.from({ length: 8 }, (_, i) => ({ n: i })));
    for (const refused of outcomes.slice(8)) {
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^the gateway is reading 8 other large YAML bodies; nothing was done: retry shortly$/) });
    }
  });
});
