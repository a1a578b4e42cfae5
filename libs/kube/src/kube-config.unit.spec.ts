import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterOf } from './kube-config';

/** A kubeconfig of two contexts on one server, the current one naming `apps` as its namespace. */
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: https://127.0.0.1:6443}
users:
- name: deployer
  user: {token: not-a-real-token}
contexts:
- name: with-namespace
  context: {cluster: local, user: deployer, namespace: apps}
- name: without-namespace
  context: {cluster: local, user: deployer}
current-context: with-namespace
`;

describe('the namespace a service acts in, from a kubeconfig', () => {
  let dir: string;
  let kubeconfig: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-kubeconfig-'));
    kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, KUBECONFIG);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the current context\'s namespace', () => {
    expect(clusterOf({ kubeconfig })?.namespace).toBe('apps');
  });

  it('is SLIPWAY_KUBE_NAMESPACE when set, over the context\'s', () => {
    expect(clusterOf({ kubeconfig, namespace: 'elsewhere' })?.namespace).toBe('elsewhere');
  });

  it('is the chosen context\'s, and `default` for a context that names none', () => {
    expect(clusterOf({ kubeconfig, context: 'without-namespace' })?.namespace).toBe('default');
    expect(clusterOf({ kubeconfig, context: 'with-namespace' })?.namespace).toBe('apps');
  });
});
