import { isSecretSetting, SettingsUpdated, type LoggedEvent } from '@slipway/contracts';
import { redact, REDACTED } from '../export/redact';

/** Settings events older than withheld secrets carry them in `data.settings`, under the settings' own names. */
function hideSecretSettings(data: unknown): unknown {
  if (!data || typeof data !== 'object' || !('settings' in data)) return data;
  const { settings } = data as { settings: unknown };
  if (!settings || typeof settings !== 'object') return data;
  return { ...data, settings: Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, isSecretSetting(name) ? REDACTED : value])) };
}

/**
 * An event as the audit API shows it. Events should hold no secret (the settings
 * withhold theirs), but the log is append-only and older events may: values under
 * secret-looking keys are replaced by the export's rule (passwords, tokens, keys…, also
 * inside config text), and a settings event's secret settings by the settings' rule,
 * which also knows webhook and Slack URLs.
 */
export function redactEvent(event: LoggedEvent): LoggedEvent {
  const data = redact(event.data);
  return { ...event, data: event.type === SettingsUpdated.type ? hideSecretSettings(data) : data };
}
