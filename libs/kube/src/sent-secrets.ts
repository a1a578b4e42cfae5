import { isApiServerBase64, secretStringsOf, withoutSecretStrings } from '@slipway/contracts';
import type { KubeError } from './kube-error';

/**
 * A refusal of what Slipway sent, without the secret values of what was sent: the API
 * server may quote the object back (a value of the wrong type is printed whole:
 * `env[name="DB_PASSWORD"].value: expected string, got …{"inner":"hunter2"}`), and Slipway
 * passes refusals on to push outcomes, replies and logs. Which values are secret, Slipway's
 * redaction rules say (secretStringsOf). Only the texts meant for people are cleared, after
 * the error was classified from the answer as it came (a secret `typed` must not turn a
 * refused object into a retry, nor one `table` hide that a field is immutable): its message,
 * and its causes' and conflicts' messages. A body that is not JSON (Slipway sends none)
 * holds no values these rules could find. Should clearing fail, the messages are withheld,
 * the error's kind kept: it was classified already, and what it would quote is unknown.
 */
export function withoutSentSecrets(error: KubeError, sent: string | undefined): KubeError {
  try {
    return cleared(error, sent);
  } catch {
    const withheld = `the Kubernetes API server answered ${error.kind}; its message is withheld: it could not be cleared of the secrets sent`;
    return { ...error, message: withheld, ...(error.kind === 'invalid' ? { causes: error.causes.map(({ message: _m, ...cause }) => cause) } : {}),
      ...(error.kind === 'conflict' ? { conflicts: error.conflicts.map((conflict) => ({ ...conflict, message: withheld })) } : {}) } as KubeError;
  }
}

function cleared(error: KubeError, sent: string | undefined): KubeError {
  const found = sent === undefined ? undefined : secretStringsOf(parsedOrNothing(sent));
  if (!found?.size) return error;
  const secrets = withEncodings(found);
  const clear = (text: string): string => withoutSecretStrings(text, secrets);
  const cleared = { ...error, message: clear(error.message) };
  if (cleared.kind === 'invalid') cleared.causes = cleared.causes.map((cause) => (cause.message ? { ...cause, message: clear(cause.message) } : cause));
  if (cleared.kind === 'conflict') cleared.conflicts = cleared.conflicts.map((conflict) => ({ ...conflict, message: clear(conflict.message) }));
  return cleared;
}

/**
 * The secrets with the forms the API server holds them in: a Secret's `stringData` value is
 * kept, and shown to admission policies and webhooks, as `data`'s base64 (a policy's message
 * quoting `object.data[...]` passed on a value sent as `stringData`, base64 but whole); a
 * `data` value, sent as base64, may be quoted decoded.
 */
function withEncodings(secrets: Set<string>): Set<string> {
  const forms = new Set(secrets);
  for (const secret of secrets) {
    forms.add(Buffer.from(secret, 'utf8').toString('base64'));
    if (secret.length >= 8 && isApiServerBase64(secret)) {
      const decoded = Buffer.from(secret, 'base64').toString('utf8');
      // Only text: bytes that are no UTF-8 would be replaced, and match nothing quoted.
      if (!decoded.includes('\ufffd')) forms.add(decoded);
    }
  }
  return forms;
}

function parsedOrNothing(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
