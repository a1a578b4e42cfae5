import { SECRET_MASK, settingsAsReadersSee } from '../index';

describe('settingsAsReadersSee (GET /settings for a caller without admin)', () => {
  it('masks secret settings that are set, and the password of any URL, keeping the rest', () => {
    expect(settingsAsReadersSee({
      obsAlertEmailAppPassword: 'app-pw', obsAlertSlackUrl: '', obsAlertSmtpServer: 'smtp://user:SmtpQQ13@mail', DATABASE_URL: 'postgres://u:pw@host/db', isDocsEnabled: 'true',
    })).toEqual({
      obsAlertEmailAppPassword: SECRET_MASK, obsAlertSlackUrl: '', obsAlertSmtpServer: `smtp://user:${SECRET_MASK}@mail`, DATABASE_URL: `postgres://u:${SECRET_MASK}@host/db`, isDocsEnabled: 'true',
    });
  });
});
