import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DomainError, QuarantinePod, type CommandEnvelope } from '@slipway/contracts';
import { listObjects, type KubeObject } from '@slipway/kube';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { recordSuccess } from './cluster-command';
import { requireLive } from './live-object';
import { onceInNamespaceTurn } from './once-in-turn';
import { quarantinePatch } from './quarantine-patch';

type Service = KubeObject & { spec?: { selector?: Record<string, string> } };

/**
 * Takes a pod out of every Service that selects it by removing the selected labels from
 * the pod (kept in an annotation, for inspection); the pod keeps running. Its controller
 * no longer selects it either, so it starts a replacement: the quarantined pod stays for
 * debugging, as the document intends. Handled once by id: delivered again, it answers as
 * the first time rather than relabelling a pod created since under the same name.
 */
@Controller()
export class QuarantinePodHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(QuarantinePod.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    const { pod } = parseCommand(QuarantinePod, envelope);
    const { client, namespace } = this.access.require();
    const ref = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace } };
    return onceInNamespaceTurn(this.db, namespace, envelope, async () => {
      const live = await requireLive(client, ref);
      const services = await listObjects<Service>(client, { apiVersion: 'v1', kind: 'Service', metadata: { namespace } });
      if (!services.ok) throw new DomainError('unavailable', `could not list services: ${services.error.message}`);
      const patch = quarantinePatch(live.metadata.labels ?? {}, services.value.items.map((s) => s.spec?.selector ?? {}), live.metadata.annotations ?? {});
      const path = await client.http.resourcePath(ref, 'read');
      if (!path.ok) throw new DomainError('unavailable', path.error.message);
      const patched = await client.http.send({
        method: 'PATCH', path: path.value, query: { fieldManager: 'slipway' }, contentType: 'application/merge-patch+json', body: JSON.stringify(patch),
      });
      if (!patched.ok) throw new DomainError(patched.error.kind === 'not-found' ? 'not-found' : 'unavailable', `could not relabel pod "${pod}": ${patched.error.message}`);
      return recordSuccess(this.db, QuarantinePod.subject, envelope, null);
    });
  }
}
