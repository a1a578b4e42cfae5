import { NewerProjectionRules } from '@slipway/event-log';
import { DependencyDown, isTransient, leftToAnother } from './transient';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isTransient: a dependency down or busy, not a fault of the work', () => {
  it.each([
    ['Postgres refusing connections (ECONNREFUSED)', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a connection reset', withCode('ECONNRESET')],
    ['the server shutting down (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['the server starting (57P03)', withCode('57P03', 'the database system is starting up')],
    ['too many connections (53300)', withCode('53300')],
    ['a connection exception (08006)', withCode('08006')],
    ['a serialization failure (40001)', withCode('40001')],
    ['a deadlock (40P01)', withCode('40P01')],
    ['a transaction ended for sitting idle in a stopped process (25P03)', withCode('25P03', 'terminating connection due to idle-in-transaction timeout')],
    ['node-postgres after the server closed an idle client', new Error('Client has encountered a connection error and is not queryable')],
    ['node-postgres losing its connection', new Error('Connection terminated unexpectedly')],
    ['the pool timing out', new Error('timeout exceeded when trying to connect')],
    ['a cause that is one', new Error('could not append', { cause: withCode('ECONNREFUSED') })],
    ['one of several', new AggregateError([new Error('a'), withCode('ECONNREFUSED')])],
    ['a handler\'s committed work whose next step found the bus down', new DependencyDown('committed, but its push could not be handed to the bus')],
  ])('%s', (_, error) => expect(isTransient(error)).toBe(true));

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a constraint violation (23505)', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error (42601)', withCode('42601')],
    ['invalid JSON for Postgres (22P02)', withCode('22P02', 'invalid input syntax for type json')],
    ['a message that only mentions a connection', new Error('the Connection terminated field is required')],
    ['nothing', undefined],
  ])('not %s', (_, error) => expect(isTransient(error)).toBe(false));
});

describe('leftToAnother: work for an instance of a newer version', () => {
  it('is an older instance refused by a projection rebuilt with newer rules, anywhere in the cause chain, and no outage', () => {
    const fenced = new NewerProjectionRules('config_store', 8, 7);
    expect(leftToAnother(fenced)).toBe(true);
    expect(leftToAnother(new Error('could not write', { cause: fenced }))).toBe(true);
    expect(isTransient(fenced)).toBe(false);
    expect(leftToAnother(withCode('ECONNREFUSED'))).toBe(false);
  });
});
