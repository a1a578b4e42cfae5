import { jsonErrorOffset, jsonFault } from './json-fault';

/** The fault as the gateway says it, from what JSON.parse itself says. */
const faultOf = (text: string): string => {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonFault(text, (error as Error).message);
  }
  throw new Error(`${text} is JSON`);
};

describe('jsonErrorOffset', () => {
  it.each([
    ['a missing value', '{"a": }', 6],
    ['a stray bracket in a list', '[1, 2,]', 6],
    ['a word that is no literal, at the letter that leaves it', '{"a": tru}', 9],
    ['a bare word', '{"a": yes}', 6],
    ['a second document', '{"a": 1} {"b": 2}', 9],
    ['a closing bracket of the other kind', '{"a": [1}', 8],
    ['a key that is not a string', '{a: 1}', 1],
    ['text that ends too soon', '{"a": [1, {"b": 2}', 18],
    ['a number with a leading zero', '[01]', 2],
  ])('finds %s', (_what, text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('goes through nesting deeper than a recursive reader could', () => {
    const deep = `${'['.repeat(200_000)}}`;
    expect(jsonErrorOffset(deep)).toBe(200_000);
  });
});

describe('jsonFault', () => {
  it('says where an unexpected token is, which V8 does not, in the line and column editors count', () => {
    expect(faultOf('{\n  "name": "web",\n  "replicas": ,\n}')).toBe("Unexpected token ',' (line 3, column 15)");
  });

  it('keeps V8\'s position where it gives one, said as the YAML refusals say it', () => {
    expect(faultOf('{"a": "x" "b": 1}')).toBe("Expected ',' or '}' after property value (line 1, column 11)");
    expect(faultOf('[1, 2')).toBe("Expected ',' or ']' after array element (line 1, column 6)");
  });

  it('never quotes the text around the fault (it may hold a secret)', () => {
    const fault = faultOf('{"token": "s3cr3t-value", "x": }');
    expect(fault).toBe("Unexpected token '}' (line 1, column 32)");
    expect(fault).not.toContain('s3cr3t');
  });
});
