export * from './health-status';
export * from './assess-health';
export * from './deployment-health';
export * from './statefulset-health';
export * from './daemonset-health';
export * from './replicaset-health';
export * from './job-health';
export * from './pod-health';
