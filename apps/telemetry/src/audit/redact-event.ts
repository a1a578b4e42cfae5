import { redactSecrets, type LoggedEvent } from '@slipway/contracts';

/**
 * An event as the audit API and exports show it. Events should hold no secret (the settings
 * withhold theirs), but the log is append-only, older events may, and config objects and
 * patch text carry theirs (a Secret's data): all are replaced (redactSecrets).
 */
export function redactEvent(event: LoggedEvent): LoggedEvent {
  return { ...event, data: redactSecrets(event.data) };
}
