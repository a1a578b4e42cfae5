/** The five documents Slipway serves, plus its own platform endpoints. */
export type Dialect = 'ververica' | 'nomad' | 'datacater' | 'ote' | 'instabase' | 'platform';

/** Which dialect a path belongs to: decides the error shape when nothing else can. */
export function dialectOf(url: string): Dialect {
  const path = decodedPath(url.split('?')[0] ?? '');
  if (/^\/api\/v1\/namespaces\/[^/]*\/deployment-targets/.test(path)) return 'ververica';
  if (path.startsWith('/api/v1/control_plane')) return 'instabase';
  if (path.startsWith('/api/v1/deployments')) return 'datacater';
  if (/^\/v1\/(deployments|deployment\/|job)/.test(path)) return 'nomad';
  if (/^\/v1\/(repository|app|deploy|admin)/.test(path)) return 'ote';
  return 'platform';
}

/**
 * The router matches `/api/v1/control%5Fplane/...` as `control_plane`: so must the error's
 * shape. Segment by segment, so that one that does not decode leaves the others read, and
 * a segment's own `/` (`a%2Fb`, a namespace refused as such) stays inside it.
 */
function decodedPath(path: string): string {
  return path.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment).replaceAll('/', '%2F');
    } catch {
      return segment;
    }
  }).join('/');
}
