import { withoutSecretValues } from '../index';

/** What DEADLETTER keeps of a command (settle-message files it through withoutSecretValues). */
describe('withoutSecretValues', () => {
  it('redacts secrets inside a command payload text, not only under secret-named keys', () => {
    const text = '# target: db\ndata:\n  password: "DLQSecretA1"\n  note: "token=DLQSecretB2"\n';
    const kept = withoutSecretValues({ commandId: 'c1', payload: { text, description: 'd' } }) as { payload: { text: string; description: string } };
    expect(JSON.stringify(kept)).not.toMatch(/DLQSecret/);
    expect(kept.payload.text).toContain('note:');
    expect(kept.payload.description).toBe('d');
  });

  it('redacts the values of a Secret and the password of a URL', () => {
    expect(withoutSecretValues({ kind: 'Secret', data: { foo: 'U2Vj' }, stringData: { plain: 'p' }, metadata: { name: 's' } }))
      .toEqual({ kind: 'Secret', data: { foo: '[redacted]' }, stringData: { plain: '[redacted]' }, metadata: { name: 's' } });
    expect(withoutSecretValues({ settings: { obsAlertSmtpServer: 'smtp://user:SmtpQQ13@mail' } }))
      .toEqual({ settings: { obsAlertSmtpServer: 'smtp://user:[redacted]@mail' } });
  });

  it('keeps an empty secret empty: that it is unset is no secret', () => {
    expect(withoutSecretValues({ password: '', token: 't' })).toEqual({ password: '', token: '[redacted]' });
  });
});
