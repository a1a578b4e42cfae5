import { redactPatchText, redactSecrets, redactSecretText, type PatchView } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../../auth/authenticator';

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
 * Patches as a caller may see them: for a reader without `admin`, a patch's text read as a
 * Secret's when the patch applies to one (its text may not say so), and env values set by
 * index hidden (the patch does not name the entry).
 */
export async function patchesCallerMaySee(auth: Authenticator, req: FastifyRequest, patches: PatchView[]): Promise<PatchView[]> {
  if (await auth.holds(req, undefined, 'admin')) return patches;
  return patches.map((p) => ({ ...p, patch: redactPatchText(p.patch, p.secretValues === true), description: redactSecretText(p.description) }));
}

/**
 * Search hits as a caller may see them: for a reader without `admin`, only the patches whose
 * visible text still holds the query (the store searched the text with its secrets, so a
 * hit on a hidden value would tell what the value is).
 */
export async function searchHitsCallerMaySee(auth: Authenticator, req: FastifyRequest, hits: PatchView[], query: string, caseSensitive: boolean): Promise<PatchView[]> {
  const visible = await patchesCallerMaySee(auth, req, hits);
  if (visible === hits) return hits;
  const fold = (text: string) => (caseSensitive ? text : text.toLowerCase());
  return visible.filter((p) => fold(`${p.patch}\n${p.description}\n${p.target}`).includes(fold(query)));
}
