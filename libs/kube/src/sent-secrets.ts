import { secretStringsOf, withoutSecretStrings } from '@slipway/contracts';
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
  const secrets = sent === undefined ? undefined : secretStringsOf(parsedOrNothing(sent));
  if (!secrets?.size) return error;
  const clear = (text: string): string => withoutSecretStrings(text, secrets);
  const cleared = { ...error, message: clear(error.message) };
  if (cleared.kind === 'invalid') cleared.causes = cleared.causes.map((cause) => (cause.message ? { ...cause, message: clear(cause.message) } : cause));
  if (cleared.kind === 'conflict') cleared.conflicts = cleared.conflicts.map((conflict) => ({ ...conflict, message: clear(conflict.message) }));
  return cleared;
}

function parsedOrNothing(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
