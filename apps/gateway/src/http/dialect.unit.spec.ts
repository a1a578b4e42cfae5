import { dialectOf } from './dialect';

describe('dialectOf', () => {
  it.each([
    ['/api/v1/namespaces/default/deployment-targets/x', 'ververica'],
    ['/api/v1/namespaces/default/deployment%2Dtargets', 'ververica'],
    ['/api/v1/control_plane/settings?x=1', 'instabase'],
    ['/api/v1/control%5Fplane/settings', 'instabase'],
    ['/api/v1/control%5fplane/%ZZ', 'instabase'],
    ['/api/v1/namespaces/a%2Fb/deployment-targets', 'ververica'],
    ['/api/v1/namespaces/..%2F..%2Ftokens/deployment-targets/x', 'ververica'],
    ['/api/v1/events', 'platform'],
  ])('%s is %s, as the router reads the path', (url, dialect) => {
    expect(dialectOf(url)).toBe(dialect);
  });
});
