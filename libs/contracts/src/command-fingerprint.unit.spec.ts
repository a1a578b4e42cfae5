import { commandFingerprint, reusedIdRefusal } from './command-fingerprint';

describe('commandFingerprint', () => {
  it('is the same for the same payload whatever the order of its keys, as two senders in other languages may write it', () => {
    const a = commandFingerprint('c-1', { name: 'web', spec: { replicas: 2, image: 'app:1' }, labels: ['x', 'y'] });
    const b = commandFingerprint('c-1', { labels: ['x', 'y'], spec: { image: 'app:1', replicas: 2 }, name: 'web' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('differs with any value, the order of a list, or the id it is taken with', () => {
    const base = commandFingerprint('c-1', { name: 'web', labels: ['x', 'y'] });
    expect(commandFingerprint('c-1', { name: 'api', labels: ['x', 'y'] })).not.toBe(base);
    expect(commandFingerprint('c-1', { name: 'web', labels: ['y', 'x'] })).not.toBe(base);
    expect(commandFingerprint('c-2', { name: 'web', labels: ['x', 'y'] })).not.toBe(base);
  });
});

describe('reusedIdRefusal', () => {
  it('refuses another payload only when both the record and the resend have a fingerprint and they differ', () => {
    expect(reusedIdRefusal('c-1', { fingerprint: 'aaa' }, { fingerprint: 'bbb' })).toMatchObject({ code: 'invalid', field: 'commandId', final: true });
    expect(reusedIdRefusal('c-1', { fingerprint: 'aaa' }, { fingerprint: 'aaa' })).toBeUndefined();
    expect(reusedIdRefusal('c-1', { fingerprint: null }, { fingerprint: 'bbb' })).toBeUndefined();
    expect(reusedIdRefusal('c-1', { fingerprint: 'aaa' }, {})).toBeUndefined();
    expect(reusedIdRefusal('c-1', undefined, { fingerprint: 'bbb' })).toBeUndefined();
  });

  it('refuses a command on another subject whatever its fingerprint: another kind of command is never the one recorded', () => {
    const recorded = { subject: 'cmd.deployer.create-target.v1' };
    expect(reusedIdRefusal('c-1', recorded, { subject: 'cmd.deployer.delete-target.v1' })).toMatchObject({ code: 'invalid', field: 'commandId' });
    expect(reusedIdRefusal('c-1', recorded, { subject: 'cmd.deployer.create-target.v1' })).toBeUndefined();
    // a sender that cannot say (an answer on the reply subject carries none) is judged by its fingerprint alone
    expect(reusedIdRefusal('c-1', recorded, {})).toBeUndefined();
  });
});
