import { namesService, narrowToServices } from './service-events';

const services = new Set(['api']);
const upload = {
  releaseVersion: '1.0',
  documents: [{ objectName: 'api', kind: 'Deployment', config: 'a' }, { objectName: 'worker', kind: 'Deployment', config: 'w' }],
};

describe('events about services', () => {
  it('finds a service named as objectName, object, target, in objects, or as a Kind/name key', () => {
    expect(namesService(upload, services)).toBe(true);
    expect(namesService({ objectName: 'worker' }, services)).toBe(false);
    expect(namesService({ patches: [{ target: 'api' }] }, services)).toBe(true);
    expect(namesService({ objects: ['x', 'api'] }, services)).toBe(true);
    expect(namesService({ replicas: { 'Deployment/api': 2 } }, services)).toBe(true);
    expect(namesService({ labels: { 'app.kubernetes.io/api': 'x' }, name: 'api' }, services)).toBe(false);
  });

  it('leaves other services\' entries out of the data', () => {
    expect(narrowToServices(upload, services)).toEqual({ releaseVersion: '1.0', documents: [{ objectName: 'api', kind: 'Deployment', config: 'a' }] });
    expect(narrowToServices({ replicas: { 'Deployment/api': 2, 'StatefulSet/db': 1 }, hibernatedAt: 't' }, services))
      .toEqual({ replicas: { 'Deployment/api': 2 }, hibernatedAt: 't' });
    expect(narrowToServices({ tags: ['a', 'b'] }, services)).toEqual({ tags: ['a', 'b'] });
  });
});
