import type { LoggedEvent } from '@slipway/contracts';
import { redact } from '../export/redact';

/**
 * An event as the audit API and exports show it. Events should hold no secret (the settings
 * withhold theirs), but the log is append-only and older events may: values under
 * secret-named keys (isSecretSetting: passwords, tokens, keys, webhook and Slack URLs, …)
 * and secret-looking lines in config text are replaced (redact).
 */
export function redactEvent(event: LoggedEvent): LoggedEvent {
  return { ...event, data: redact(event.data) };
}
