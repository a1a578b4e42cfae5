import { Module, type DynamicModule } from '@nestjs/common';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { ClusterQueriesHandler } from './cluster-queries.handler';
import { DeleteJobHandler } from './delete-job.handler';
import { DeletePodHandler } from './delete-pod.handler';
import { FindInconsistenciesHandler } from './find-inconsistencies.handler';
import { HibernateClusterHandler } from './hibernate-cluster.handler';
import { PauseAutoscalingHandler } from './pause-autoscaling.handler';
import { PushConfigsHandler } from './push-configs.handler';
import { QuarantinePodHandler } from './quarantine-pod.handler';
import { ResizeClusterHandler } from './resize-cluster.handler';
import { ResumeAutoscalingHandler } from './resume-autoscaling.handler';
import { ReviveClusterHandler } from './revive-cluster.handler';

/** Cluster operations of the Instabase Deployment Manager, on the deployer's Kubernetes context. */
@Module({})
export class ClusterModule {
  static forAccess(access: ClusterAccess): DynamicModule {
    return {
      module: ClusterModule,
      providers: [{ provide: CLUSTER, useValue: access }],
      controllers: [
        PushConfigsHandler, FindInconsistenciesHandler, HibernateClusterHandler, ReviveClusterHandler,
        DeleteJobHandler, DeletePodHandler, QuarantinePodHandler, ClusterQueriesHandler,
        PauseAutoscalingHandler, ResumeAutoscalingHandler, ResizeClusterHandler,
      ],
    };
  }
}
