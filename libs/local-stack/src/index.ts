export * from './free-port';
export * from './child';
export * from './postgres-server';
export * from './nats-server';
export * from './apps';
export * from './kube-testenv';
export * from './reaper';
