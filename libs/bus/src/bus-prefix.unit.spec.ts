import { Bus } from './bus';

describe('a bus prefix (SLIPWAY_BUS_PREFIX)', () => {
  it('is refused, before any connection, when stream names could not keep it apart from another or it is no subject token (probe)', async () => {
    // "a_b" would share "a.b"'s streams (a_b_COMMANDS); wildcards, blanks and empty parts are no tokens
    for (const prefix of ['a_b', '*', '>', 'a.*', 'a b', 'a..b', '.a', 'a.', 'x'.repeat(65)]) {
      await expect(Bus.connect({ url: 'nats://127.0.0.1:1', prefix })).rejects.toThrow(/is not a bus prefix/);
    }
  });

  it('takes parts of letters, digits and "-" joined by "." (it then connects: here to a server that is not there)', async () => {
    for (const prefix of ['a.b', 'team-1', 'T0.x-y.z']) {
      await expect(Bus.connect({ url: 'nats://127.0.0.1:1', prefix })).rejects.not.toThrow(/is not a bus prefix/);
    }
  });
});
