import { REDACTED, redactSecrets, redactTextPatterns } from '@slipway/contracts';

export { REDACTED };

/**
 * A copy with its secrets replaced, for exports and the audit API: values under secret-looking
 * keys, env entries and JSON-patch operations named like secrets, every value of a Kubernetes
 * Secret, URL passwords, and the same inside config and patch text, YAML or JSON, block or
 * flow style (the rules live in @slipway/contracts so dead letters are redacted alike).
 */
export function redact(value: unknown): unknown {
  return redactSecrets(value);
}

/**
 * A log message with secret-looking `key=value` pairs, bearer credentials and URL passwords
 * redacted wherever they stand in it. By pattern only: a log line is not a document, and
 * parsing one as YAML would rewrite lines that merely look like it.
 */
export function redactLogMessage(message: string): string {
  return redactTextPatterns(message);
}
