import { MOST_PATCHES_FOUND, redactCopies, type Inconsistencies, redactPatchText, redactSecrets, redactSecretText, secretValuesIn, type PatchView } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../../auth/authenticator';
import { RememberedTexts } from './remembered-texts';

/**
 * Configs and patches as a caller may see them: a token with `admin` reads them as they were
 * uploaded; any other reader sees their secrets `[redacted]` (a Secret's values, secret-named
 * keys and env entries, URL passwords: the rules of the audit API), as it sees secret
 * settings masked — Argo CD hides Secret data from its API the same way.
 */
export async function asCallerMaySee<T>(auth: Authenticator, req: FastifyRequest, value: T): Promise<T> {
  return (await auth.holds(req, undefined, 'admin')) ? value : (redactSecrets(value) as T);
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
  const hidden = (text: string) => redactSecrets(text) as string;
  const inconsistentResources = Object.fromEntries(Object.entries(found.inconsistentResources).map(([name, { diffRows }]) =>
    [name, { diffRows: diffRows.map((row) => ({ key: row.key, expected: hidden(row.expected), got: hidden(row.got) })) }]));
  return { ...found, inconsistentResources };
}

/**
 * Patches as a caller may see them: for a reader without `admin`, a patch's text read as a
 * Secret's when the patch applies to one (its text may not say so), and env values set by
 * index hidden (the patch does not name the entry).
 */
export async function patchesCallerMaySee(auth: Authenticator, req: FastifyRequest, patches: PatchView[]): Promise<PatchView[]> {
  return (await auth.holds(req, undefined, 'admin')) ? patches : patches.map(asReaderSees);
}

/** Patch texts as readers see them, by the text (and whether it is a Secret's): 16 Mi characters at most. */
const readerPatchTexts = new RememberedTexts(16 * 1024 * 1024);

/**
 * A patch without its secrets: in its text, and in its description as the config-store keeps
 * it for readers (the values its command's patches hide, where it repeats them); for one
 * recorded before that was kept, where it repeats its own patch's.
 */
const asReaderSees = ({ descriptionShown, ...p }: PatchView): PatchView => ({
  ...p, patch: readerPatchTexts.get(`${p.secretValues === true ? 'S' : '-'}${p.patch}`, () => redactPatchText(p.patch, p.secretValues === true)),
  description: descriptionShown ?? redactCopies(redactSecretText(p.description), secretValuesIn(p.patch, p.secretValues === true)),
});

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
  const visible = (await search(MOST_PATCHES_FOUND)).map(asReaderSees);
  return visible.filter((p) => fold(`${p.patch}\n${p.description}\n${p.target}`).includes(fold(query))).slice(0, limit);
}
