import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsUrl } from '@slipway/testing';
import { startDeployer } from '../../deployer/src/service';
import { startStack, type Stack } from './stack';

const ROOT = '/api/v1/control_plane';

/**
 * A synchronous write whose push has no outcome at the wait bound (the API server does not
 * answer, so the deployer keeps retrying it) is answered 202 with the push's status, not 200
 * as if there were nothing to apply.
 */
describe('Instabase write whose push is still under way at the wait bound', () => {
  let stack: Stack;
  let dir: string;
  let silent: Server;
  const held: Socket[] = [];
  beforeAll(async () => {
    // The push never has an outcome here (its API server never answers; the deployer waits 70 s
    // for it), so the 202 comes at any bound; the write before it must be done within the
    // bound on a loaded machine, or the 202 points at the write, not at its push.
    stack = await startStack({ commandWaitMs: 10_000 });
    // given a deployer whose API server takes connections and never answers
    silent = createServer((socket) => { held.push(socket); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), 'slipway-unreachable-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: x',
      `clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: u, user: {token: unused}}]',
      'contexts: [{name: x, context: {cluster: c, user: u, namespace: unreachable}}]', '',
    ].join('\n'));
    const deployer = stack.services.shift()!;
    await deployer.close();
    stack.services.unshift(await startDeployer({
      databaseUrl: stack.databaseUrl, natsUrl: natsUrl(), busPrefix: stack.busPrefix, adminToken: stack.adminToken, cluster: { kubeconfig, namespace: 'unreachable' },
    }));
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    silent?.close();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 202 pointing at the push, whose status is pending', async () => {
    const body = new URLSearchParams({ release_version: '1.0', base_config: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pending-push\ndata:\n  A: "1"\n' });
    const response = await stack.request(`${ROOT}/base_configs`, {
      method: 'POST', body, headers: { authorization: '', Token: stack.adminToken, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(202);
    const location = response.headers.get('location')!;
    expect(location).toMatch(/^\/api\/v1\/commands\/.+-push$/);
    // and says what the write changed, which the push's status does not
    expect((await response.json()).data).toEqual({
      successful_apply: [], failed_to_apply: [], materialized: ['pending-push'], commandId: location.split('/').pop(), status: 'accepted', statusUrl: location,
    });
    const status = await (await stack.request(location)).json();
    expect(status).toMatchObject({ status: 'pending' });
  });
});
