import { MOST_PATCHES_FOUND, type Inconsistencies, type PatchView } from '@slipway/contracts';
import { ReaderRedaction } from '@slipway/runtime';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../../auth/authenticator';

/** Large reads are redacted on a worker thread of the gateway's own (ReaderRedaction). */
const readers = new ReaderRedaction();

/**
 * Configs and patches as a caller may see them: a token with `admin` reads them as they were
 * uploaded; any other reader sees their secrets `[redacted]` (a Secret's values, secret-named
 * keys and env entries, URL passwords: the rules of the audit API), as it sees secret
 * settings masked — Argo CD hides Secret data from its API the same way.
 */
export async function asCallerMaySee<T>(auth: Authenticator, req: FastifyRequest, value: T): Promise<T> {
  return (await auth.holds(req, undefined, 'admin')) ? value : readers.secrets(value);
}

/**
 * Drift as a caller may see it: for a reader without `admin`, each row's values with their
 * secrets hidden by the same rules. The deployer already hides a Secret's values and those
 * of secret-named fields; a value under another name holds one all the same when someone
 * changed it live (`--db-password=…` added to `args`, a password put in a URL or in a
 * ConfigMap's file), and `kubectl edit` is no reason for a reader to see it.
 */
export async function driftCallerMaySee(auth: Authenticator, req: FastifyRequest, found: Inconsistencies): Promise<Inconsistencies> {
  if (await auth.holds(req, undefined, 'admin')) return found;
  const rows = Object.entries(found.inconsistentResources);
  const shown = await readers.texts(rows.flatMap(([, { diffRows }]) => diffRows.flatMap((row) => [row.expected, row.got])));
  let next = 0;
  const inconsistentResources = Object.fromEntries(rows.map(([name, { diffRows }]) =>
    [name, { diffRows: diffRows.map((row) => ({ key: row.key, expected: shown[next++]!, got: shown[next++]! })) }]));
  return { ...found, inconsistentResources };
}

/**
 * Patches as a caller may see them: for a reader without `admin`, a patch's text read as a
 * Secret's when the patch applies to one (its text may not say so), and env values set by
 * index hidden (the patch does not name the entry).
 */
export async function patchesCallerMaySee(auth: Authenticator, req: FastifyRequest, patches: PatchView[]): Promise<PatchView[]> {
  return (await auth.holds(req, undefined, 'admin')) ? patches : readers.patches(patches);
}

/** An object's patches as its list shows them (version, target, description), as a caller may see them: a reader's descriptions as `patchesCallerMaySee` shows them, the texts, not shown, not worked out. */
export async function patchListCallerMaySee(auth: Authenticator, req: FastifyRequest, patches: PatchView[]): Promise<Array<Pick<PatchView, 'version' | 'target' | 'description'>>> {
  const descriptions = (await auth.holds(req, undefined, 'admin')) ? patches.map((p) => p.description) : readers.descriptions(patches);
  return patches.map((p, i) => ({ version: p.version, target: p.target, description: descriptions[i]! }));
}

/**
 * A search as a caller may see it: for a reader without `admin`, only the patches whose
 * visible text still holds the query (the store searches the text with its secrets, so a
 * hit on a hidden value would tell what the value is). Such a search asks the store for as
 * many hits as it gives and keeps the first `limit` visible ones: had the store stopped at
 * `limit`, how many came back would tell a hidden hit from none.
 */
export async function searchPatchesCallerMaySee(
  auth: Authenticator, req: FastifyRequest, search: (atMost: number) => Promise<PatchView[]>, query: string, caseSensitive: boolean, limit: number,
): Promise<PatchView[]> {
  // An admin's search, and a limit out of bounds (refused by the store, naming it), go as asked.
  if (limit < 1 || limit > MOST_PATCHES_FOUND || await auth.holds(req, undefined, 'admin')) return search(limit);
  const fold = (text: string) => (caseSensitive ? text : text.toLowerCase());
  const visible = await readers.patches(await search(MOST_PATCHES_FOUND));
  return visible.filter((p) => fold(`${p.patch}\n${p.description}\n${p.target}`).includes(fold(query))).slice(0, limit);
}
