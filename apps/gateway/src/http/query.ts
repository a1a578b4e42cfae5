import { DomainError } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';

/**
 * A request's query parameters, each given once: a second `limit` would otherwise read as
 * a list, and be refused as "not a number" or taken at random. Text that is no valid
 * percent-encoding of UTF-8 (`%ff`, a lone `%`) is refused naming the parameter, as the
 * router refuses it in a path, rather than read as a replacement character.
 */
export function queryOf(request: FastifyRequest): Record<string, string> {
  const at = request.url.indexOf('?');
  const query: Record<string, string> = {};
  if (at === -1) return query;
  for (const [name, value] of urlEncodedPairs(request.url.slice(at + 1))) {
    // Set on an object, it would set the object's prototype instead, and go unseen (never refused as unknown).
    if (name === '__proto__') throw new DomainError('invalid', 'unknown query parameter "__proto__": no route takes it', name);
    if (Object.hasOwn(query, name)) throw new DomainError('invalid', `${name}: given more than once; send it once`, name);
    query[name] = value;
  }
  return query;
}

/**
 * The name/value pairs of URL-encoded text (a query string, a form body), in order;
 * text that is no valid percent-encoding of UTF-8 is refused naming its parameter.
 */
export function urlEncodedPairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const split = pair.indexOf('=');
    const [rawName, rawValue] = split === -1 ? [pair, ''] : [pair.slice(0, split), pair.slice(split + 1)];
    // A name that does not decode is not quoted back: a body posted as a form by mistake may be a secret.
    const name = decoded(rawName, 'a parameter name');
    pairs.push([name, decoded(rawValue, name)]);
  }
  return pairs;
}

function decoded(text: string, parameter: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new DomainError('invalid', `${parameter}: not valid percent-encoding (each % must start the UTF-8 bytes of a character, such as %C3%A9)`, parameter);
  }
}

