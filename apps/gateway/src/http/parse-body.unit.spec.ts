import { parseBody } from './parse-body';

const YAML = 'application/yaml';
const refusal = (body: string): string => {
  try {
    parseBody(body, YAML);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the body was accepted');
};

describe('parseBody', () => {
  it('given malformed YAML, then the message gives the position once', () => {
    expect(refusal('metadata:\n  name: a\n  name: b\n')).toBe('malformed YAML: Map keys must be unique (line 3, column 3)');
  });

  it('given YAML nested deeper than the parser can go, then it says so, without the JavaScript error', () => {
    const message = refusal(`metadata: ${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(message).toMatch(/^malformed YAML: nested too deeply \(line 1, column \d+\)$/);
    expect(parseBody('metadata: [[[1]]]\n', YAML)).toEqual({ metadata: [[[1]]] });
  });

  it('given malformed JSON, then the message says what and where, as for YAML, without quoting the text (it may hold a secret)', () => {
    const refused = (body: string) => {
      try {
        parseBody(body, 'application/json');
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('the body was accepted');
    };
    const unquoted = refused('{"password": hunter2-41, "a": 1}');
    expect(unquoted).toBe("malformed JSON: Unexpected token 'h' (line 1, column 14)");
    expect(refused('{"password": "hunter2-41" "a": 1}')).toBe("malformed JSON: Expected ',' or '}' after property value (line 1, column 27)");
    expect(refused('{"a": 1} {"b": 2}')).toBe('malformed JSON: Unexpected non-whitespace character after JSON (line 1, column 10)');
  });
});
