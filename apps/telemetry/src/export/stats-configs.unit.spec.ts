import type { MaterializedView } from '@slipway/contracts';
import type { ServiceEvents } from './audit-events';
import { configsOf } from './configs';
import { REDACTED } from '@slipway/contracts';
import type { ResolvedService } from './resolve-service';
import { podStatOf, statsOf } from './stats';

const view = (config: string): MaterializedView => ({
  objectName: 'api', releaseVersion: '1.0', patchVersion: null, previousReleaseVersion: null, previousPatchVersion: null, state: 'IS_GOLDEN', config, metadata: '', timestampMS: 0,
});
const pod = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-1' },
  spec: { nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, restartCount: 2 }, { name: 'b', ready: false, restartCount: 1 }] },
};
const services: ResolvedService[] = [
  { name: 'api', note: { status: 'found', kind: 'Deployment', pods: ['api-1'] }, materialized: view('kind: Deployment\nAPI_TOKEN: t0ken\n'), pods: [pod] },
  { name: 'gone', note: { status: 'not found', reason: 'none' }, pods: [] },
];
const events: ServiceEvents = {
  bytes: 0,
  truncated: false,
  events: [
    { position: 3, stream: 'baseconfig-1.0', type: 'baseconfig.uploaded.v1', occurredAt: 't', actor: 'a', data: { documents: [] } },
    { position: 4, stream: 'target-x', type: 'target.created.v1', occurredAt: 't', actor: 'a', data: {} },
  ],
};

describe('STATS and CONFIGS of the services', () => {
  it('sums a pod\'s readiness and restarts over its containers', () => {
    expect(podStatOf(pod)).toEqual({ name: 'api-1', phase: 'Running', node: 'n1', ready: '1/2', restarts: 3, startTime: undefined });
  });

  it('counts events by type and lists pods only where a cluster is configured', () => {
    expect(statsOf(events, services, true)).toMatchObject({
      events: 2, byType: { 'baseconfig.uploaded.v1': 1, 'target.created.v1': 1 },
      services: { api: { status: 'found', kind: 'Deployment', pods: [{ name: 'api-1' }] }, gone: { status: 'not found', pods: [] } },
    });
    expect(statsOf(events, services, false).services).toEqual({ api: { status: 'found', kind: 'Deployment' }, gone: { status: 'not found' } });
  });

  it('holds each found service\'s current config, redacted, and the config events only', () => {
    expect(configsOf(events, services)).toEqual({
      'service/api': { releaseVersion: '1.0', patchVersion: null, state: 'IS_GOLDEN', config: `kind: Deployment\nAPI_TOKEN: ${REDACTED}\n` },
      'baseconfig-1.0@3': { type: 'baseconfig.uploaded.v1', data: { documents: [] } },
    });
  });
});
