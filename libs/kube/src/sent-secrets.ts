import { secretStringsOf, withoutSecretStrings } from '@slipway/contracts';

/**
 * The API server's answer to a refused request, without the secret values of what was
 * sent: a refusal may quote the object back (a value of the wrong type is printed whole:
 * `env[name="DB_PASSWORD"].value: expected string, got …{"inner":"hunter2"}`), and
 * Slipway passes refusals on to push outcomes, replies and logs. Which values are secret,
 * Slipway's redaction rules say (secretStringsOf); every string of the answer is cleared
 * of them, before anything reads its message. A body that is not JSON (Slipway sends
 * none) holds no values these rules could find.
 */
export function withoutSentSecrets(answer: unknown, sent: string | undefined): unknown {
  const secrets = sent === undefined ? undefined : secretStringsOf(parsedOrNothing(sent));
  return secrets?.size ? cleared(answer, secrets) : answer;
}

function cleared(value: unknown, secrets: Set<string>): unknown {
  if (typeof value === 'string') return withoutSecretStrings(value, secrets);
  if (Array.isArray(value)) return value.map((item) => cleared(item, secrets));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cleared(item, secrets)]));
  return value;
}

function parsedOrNothing(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
