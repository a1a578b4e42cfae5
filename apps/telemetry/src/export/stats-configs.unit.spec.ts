import type { MaterializedView } from '@slipway/contracts';
import type { ServiceEvents } from './audit-events';
import { configsOf, ServiceConfigs } from './configs';
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
  { name: 'api', note: { status: 'found', kind: 'Deployment', pods: ['api-1'] }, pods: [pod] },
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

  it('holds each found service\'s current config, redacted, and the config events only', async () => {
    const configs = new ServiceConfigs();
    await configs.add('api', view('kind: Deployment\nAPI_TOKEN: t0ken\n'));
    expect(configsOf(events, configs)).toEqual({
      'service/api': { releaseVersion: '1.0', patchVersion: null, state: 'IS_GOLDEN', config: `kind: Deployment\nAPI_TOKEN: ${REDACTED}\n` },
      'baseconfig-1.0@3': { type: 'baseconfig.uploaded.v1', data: { documents: [] } },
    });
  });

  it('keeps config events within what the configs left of the bound, noting how many it left out (probe: configs.json took 14 MB, and could not be imported)', async () => {
    const configs = new ServiceConfigs(400);
    await configs.add('api', view('kind: Deployment\n'));
    const event = (position: number, filler: number) => ({ position, stream: 'baseconfig-1.0', type: 'baseconfig.uploaded.v1', occurredAt: '', actor: 'a', data: { filler: 'x'.repeat(filler) } });
    const kept = configsOf({ events: [event(1, 100), event(2, 300), event(3, 50)], bytes: 0, truncated: false }, configs);
    expect(Object.keys(kept)).toEqual(['service/api', 'baseconfig-1.0@1', 'baseconfig-1.0@3']);
    expect(configs.note).toMatchObject({ services: 1, truncated: true, eventsLeftOut: 1 });
    expect(configs.note.bytes).toBeLessThanOrEqual(400);
  });

  it('keeps configs within their byte bound: one past what is left is left out and noted, a smaller one after it still kept', async () => {
    // given a bound of 1,000 bytes, and configs of about 600, 600 and 200 bytes
    const configs = new ServiceConfigs(1_000);
    const sized = (n: number) => view(`kind: ConfigMap\ndata:\n  filler: ${'x'.repeat(n)}\n`);
    for (const [name, size] of [['first', 500], ['second', 500], ['third', 100]] as const) await configs.add(name, sized(size));

    // then the first and third are kept, within the bound, and the note says the second is not
    expect(Object.keys(configs.entries)).toEqual(['service/first', 'service/third']);
    const { bytes } = configs.note;
    expect(bytes).toBe(Object.values(configs.entries).reduce((sum: number, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0));
    expect(bytes).toBeLessThanOrEqual(1_000);
    expect(configs.note).toEqual({ services: 2, bytes, maxBytes: 1_000, truncated: true, leftOut: ['second'] });
  });

  it('counts a config by its size as redacted: one that fits only before its secret is shown as [redacted] is left out', async () => {
    const secret = view(`kind: ConfigMap\ndata:\n  API_TOKEN: t0k\n`);
    const redacted = Buffer.byteLength(JSON.stringify({ releaseVersion: '1.0', patchVersion: null, state: 'IS_GOLDEN', config: `kind: ConfigMap\ndata:\n  API_TOKEN: ${REDACTED}\n` }));
    const tight = new ServiceConfigs(redacted - 1);
    await tight.add('api', secret);
    expect(tight.note).toMatchObject({ services: 0, bytes: 0, truncated: true, leftOut: ['api'] });
    const enough = new ServiceConfigs(redacted);
    await enough.add('api', secret);
    expect(enough.note).toEqual({ services: 1, bytes: redacted, maxBytes: redacted, truncated: false });
  });
});
