import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { APPS } from './apps';
import { expectEmbeddedNatsSettings } from './nats-settings.testing';

/**
 * What deploy/kubernetes must share with `npm start` and the Dockerfile, checked where it is
 * written down (its objects are applied to a real control plane in
 * apps/deployer/src/cluster/in-cluster.int.spec.ts): an image per app from its Dockerfile
 * stage, each one retaggable through the kustomization, and NATS configured as the embedded
 * stack configures it.
 */
interface Manifest {
  kind: string; metadata: { name: string }; data?: Record<string, string>;
  spec?: {
    template?: { metadata: { labels: Record<string, string> }; spec: { containers: Array<{ image: string; env?: Array<{ name: string }> }> } };
    podSelector?: { matchLabels: Record<string, string> };
    ingress?: Array<{ from?: Array<{ podSelector: { matchExpressions: Array<{ key: string; operator: string; values: string[] }> } }>; ports: Array<{ port: number }> }>;
  };
}

const root = resolve(__dirname, '..', '..', '..');
const dir = resolve(root, 'deploy', 'kubernetes');
const kustomization = parse(readFileSync(resolve(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[]; images: Array<{ name: string }> };
const manifests = readdirSync(dir).filter((file) => file !== 'kustomization.yaml')
  .flatMap((file) => parseAllDocuments(readFileSync(resolve(dir, file), 'utf8')).map((d) => d.toJSON() as Manifest));
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');

describe('deploy/kubernetes', () => {
  it('lists every manifest file it has', () => {
    expect([...kustomization.resources].sort()).toEqual(readdirSync(dir).filter((file) => file !== 'kustomization.yaml').sort());
  });

  it.each(APPS)('runs %s from the image of its own Dockerfile stage', (app) => {
    const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === app);
    expect(deployment?.spec?.template?.spec.containers.map((c) => c.image)).toEqual([`slipway-${app}`]);
    expect(kustomization.images.map((image) => image.name)).toContain(`slipway-${app}`);
    expect(dockerfile).toMatch(new RegExp(`^FROM runtime AS ${app}$`, 'm'));
  });

  it('runs NATS with the embedded stack\'s payload limit and an fsync per JetStream write', () => {
    expectEmbeddedNatsSettings(manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'nats')?.data?.['nats.conf'] ?? '');
  });

  it.each([['nats', 'NATS_URL', 4222], ['postgres', 'DATABASE_URL', 5432]] as const)(
    'lets only the pods given %s\'s address (%s) reach its port %d', (server, variable, port) => {
      const policy = manifests.find((m) => m.kind === 'NetworkPolicy' && m.spec?.podSelector?.matchLabels['app.kubernetes.io/name'] === server);
      const rule = policy?.spec?.ingress?.find((r) => r.ports.some((p) => p.port === port));
      const allowed = rule?.from?.flatMap((f) => f.podSelector.matchExpressions.filter((e) => e.key === 'app.kubernetes.io/name' && e.operator === 'In').flatMap((e) => e.values));
      const clients = manifests.filter((m) => m.kind === 'Deployment' && m.spec?.template?.spec.containers.some((c) => c.env?.some((e) => e.name === variable)))
        .map((m) => m.spec!.template!.metadata.labels['app.kubernetes.io/name']);
      expect(clients.length).toBeGreaterThan(0);
      expect([...(allowed ?? [])].sort()).toEqual([...clients].sort());
    });
});
