/**
 * Image references as the distribution reference grammar spells them (what the kubelet and
 * every registry client parse): `[host[:port]/]path[:tag][@digest]`. The host's labels may
 * hold capitals; the path's components are lowercase, apart by `.`, `_`, `__` or dashes; a
 * tag is 1 to 128 word characters, dots and dashes, not starting with either of the last two;
 * a digest is an algorithm and at least 32 hex digits. A reference the grammar refuses (two
 * tags, a capital in the path) is taken by the API server and fails only when a pod pulls it.
 */
const HOST_LABEL = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])';
const HOST = `${HOST_LABEL}(?:\\.${HOST_LABEL})*(?::([0-9]{1,5}))?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

/** A registry: a host with an optional port, then optional path components (`gcr.io/instabase-public`). */
export const REGISTRY = new RegExp(`^${HOST}(?:/${PATH})?$`);

const IMAGE = new RegExp(`^(?:${HOST}/)?${PATH}(?::${TAG})?(?:@${DIGEST})?$`);

/** The most characters the grammar allows a repository name (host and path). */
const NAME_MOST = 255;

/** Why `reference` is no image reference, or undefined when it is one. */
export function imageReferenceProblem(reference: string): string | undefined {
  const match = IMAGE.exec(reference);
  if (!match) return 'must be an image reference such as gcr.io/instabase-public/api:1.1 or nginx@sha256:<digest> (lowercase path; one tag)';
  const port = match[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return 'has a registry port outside 1-65535';
  if (repositoryName(reference).length > NAME_MOST) return `has a repository name longer than ${NAME_MOST} characters`;
  return undefined;
}

/** The reference without its digest and tag (a tag's `:` is the one after the last `/`). */
function repositoryName(reference: string): string {
  const named = reference.split('@')[0]!;
  const lastPart = named.lastIndexOf('/') + 1;
  const tagAt = named.indexOf(':', lastPart);
  return tagAt === -1 ? named : named.slice(0, tagAt);
}
