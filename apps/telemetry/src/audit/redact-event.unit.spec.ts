import { REDACTED } from '../export/redact';
import { redactEvent } from './redact-event';

const logged = (type: string, data: unknown) => ({ position: 7, eventId: 'e-7', streamId: 's', streamVersion: 1, type, data, metadata: { actor: 'admin' } });

describe('redactEvent', () => {
  it('given a settings event written before secrets were withheld, hides its secret settings, the Slack URL included', () => {
    const event = logged('settings.updated.v1', {
      settings: { isDocsEnabled: 'true', obsAlertEmailAppPassword: 'app-pw-1', obsAlertSlackUrl: 'https://hooks.slack.com/services/T0/B0/xyz', obsAlertSlackChannel: '#ops' },
      updatedAt: 't',
    });
    expect(redactEvent(event).data).toEqual({
      settings: { isDocsEnabled: 'true', obsAlertEmailAppPassword: REDACTED, obsAlertSlackUrl: REDACTED, obsAlertSlackChannel: '#ops' },
      updatedAt: 't',
    });
  });

  it('keeps what a settings event records of its withheld secrets: their names, whether they changed, whether they are set', () => {
    const withheld = [{ name: 'obsAlertEmailAppPassword', changed: true, state: 'set' }, { name: 'obsAlertSlackUrl', changed: false, state: 'empty' }];
    const event = logged('settings.updated.v1', { settings: { isDocsEnabled: 'false' }, withheld, updatedAt: 't' });
    expect(redactEvent(event)).toEqual(event);
  });

  it('redacts secret-looking keys and config lines in any event, leaving the rest and the envelope as they are', () => {
    const event = logged('baseconfig.uploaded.v1', { uploadedBy: 'admin', documents: [{ objectName: 'db', config: 'kind: ConfigMap\ndata:\n  DB_PASSWORD: hunter2\n  LOG_LEVEL: INFO\n' }], apiToken: 't-1' });
    expect(redactEvent(event)).toEqual({
      ...event,
      data: { uploadedBy: 'admin', documents: [{ objectName: 'db', config: `kind: ConfigMap\ndata:\n  DB_PASSWORD: ${REDACTED}\n  LOG_LEVEL: INFO\n` }], apiToken: REDACTED },
    });
  });

  it('hides a field named like a secret setting in any event, not only settings events (one rule for secret names)', () => {
    const event = logged('cluster.config-applied.v1', { objectName: 'hooks', manifest: { slackUrl: 'https://hooks.slack.com/services/T0/B0/x', replicas: 2 } });
    expect(redactEvent(event).data).toEqual({ objectName: 'hooks', manifest: { slackUrl: '[redacted]', replicas: 2 } });
  });
});
