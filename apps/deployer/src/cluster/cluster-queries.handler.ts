import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import { ClusterNamespace, type QueryEnvelope } from '@slipway/contracts';
import { CLUSTER, type ClusterAccess } from './cluster-access';

@Controller()
export class ClusterQueriesHandler {
  constructor(@Inject(CLUSTER) private readonly access: ClusterAccess) {}

  /** The Deployment Manager namespace: where pushes, hibernation and pod/job operations act. */
  @MessagePattern(ClusterNamespace.subject)
  namespace(@Payload() envelope: QueryEnvelope): { namespace: string } {
    parseQuery(ClusterNamespace, envelope);
    return { namespace: this.access.require().namespace };
  }
}
