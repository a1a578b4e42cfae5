import { SECRET_MASK, settingsAsReadersSee } from '../index';

describe('settingsAsReadersSee (GET /settings for a caller without admin)', () => {
  it('masks secret settings that are set, and the password of any URL, keeping the rest', () => {
    expect(settingsAsReadersSee({
      obsAlertEmailAppPassword: 'app-pw', obsAlertSlackUrl: '', obsAlertSmtpServer: 'smtp://user:SmtpQQ13@mail', DATABASE_URL: 'postgres://u:pw@host/db', isDocsEnabled: 'true',
    })).toEqual({
      obsAlertEmailAppPassword: SECRET_MASK, obsAlertSlackUrl: '', obsAlertSmtpServer: `smtp://user:${SECRET_MASK}@mail`, DATABASE_URL: `postgres://u:${SECRET_MASK}@host/db`, isDocsEnabled: 'true',
    });
  });

  it('masks a value holding what looks like a secret, whatever the setting is called', () => {
    expect(settingsAsReadersSee({ proxyHeader: 'Bearer eyJhbGciOi.x.y', smtpOptions: 'user=bob password=hunter2', greeting: 'hello' }))
      .toEqual({ proxyHeader: SECRET_MASK, smtpOptions: SECRET_MASK, greeting: 'hello' });
    // a URL with a password and a token in its query: nothing of it shown
    expect(settingsAsReadersSee({ hook: 'https://u:pw@host/x?token=abc123' })).toEqual({ hook: SECRET_MASK });
  });
});
