import { DEFAULT_SETTINGS, isSecretSetting, KNOWN_SECRET_SETTINGS } from '@slipway/contracts';

describe('isSecretSetting', () => {
  it('takes exactly the app password and the Slack URL of the document\'s settings as secrets', () => {
    expect(Object.keys(DEFAULT_SETTINGS).filter(isSecretSetting).sort()).toEqual([...KNOWN_SECRET_SETTINGS].sort());
  });

  it.each([
    'smtpPassword', 'DB_PASSWD', 'adminPwd', 'sshPassphrase', 'clientSecret', 'API_TOKEN', 'apikey', 'gcpCredentials',
    'licenseKey', 'SIGNING_KEY', 'privateKeyPem', 'teamsWebhook', 'alertHookUrl', 'DISCORD_URL', 'sentryDsn', 'authorizationHeader', 'dbpwd', 'SENTRYDSN',
    'GITHUB_PAT', 'gitlabPat', 'requirepass', 'masterauth',
  ])('takes %s as secret-looking', (name) => {
    expect(isSecretSetting(name)).toBe(true);
  });

  it.each(['isDocsEnabled', 'isDocsFromWordpress', 'obsAlertSlackChannel', 'obsAlertSmtpServer', 'keyboardLayout', 'key', 'docsUrl', 'monkeyMode', 'PATH', 'patchLevel', 'spatialIndex', 'pathPattern'])(
    'takes %s as an ordinary setting', (name) => {
      expect(isSecretSetting(name)).toBe(false);
    },
  );
});
