import { REDACTED } from './redacted';
import { redactTextKeepingLines } from './text-patterns';

const BEGIN = '-----BEGIN RSA PRIVATE KEY-----';
const END = '-----END RSA PRIVATE KEY-----';

describe('redactTextKeepingLines', () => {
  it('hides a key\'s body between its armour lines, each line kept', () => {
    expect(redactTextKeepingLines(`start\n${BEGIN}\nMIIbodyA41\nMIIbodyB41\n${END}\ndone`))
      .toBe(`start\n${BEGIN}\n${REDACTED}\n${REDACTED}\n${END}\ndone`);
  });

  it('of an excerpt, hides a key cut at its start (an END before any BEGIN) and one cut at its end (a BEGIN with no END)', () => {
    expect(redactTextKeepingLines(`MIIbodyA41\nMIIbodyB41\n${END}\ndone`, true)).toBe(`${REDACTED}\n${REDACTED}\n${END}\ndone`);
    expect(redactTextKeepingLines(`start\n${BEGIN}\nMIIbodyA41\nMIIbodyB41`, true)).toBe(`start\n${BEGIN}\n${REDACTED}\n${REDACTED}`);
    // A whole key and a cut one at each edge, in one excerpt.
    const text = `tailBody41\n${END}\nmiddle\n${BEGIN}\nwholeBody41\n${END}\nbetween\n${BEGIN}\nheadBody41`;
    expect(redactTextKeepingLines(text, true)).toBe(`${REDACTED}\n${END}\nmiddle\n${BEGIN}\n${REDACTED}\n${END}\nbetween\n${BEGIN}\n${REDACTED}`);
  });

  it('of a whole text, reads unpaired armour as no key: what it does not enclose is not a key\'s', () => {
    const text = `notAKey41\n${END}\ndone\n${BEGIN}\nnotAKeyEither41`;
    expect(redactTextKeepingLines(text)).toBe(text);
  });
});
