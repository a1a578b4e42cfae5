export * from './test-database';
export * from './eventually';
export * from './scratch-dir';
export * from './find-kustomize';
export * from './files-containing';
export * from './blocked-by';
export * from './off-thread';
export * from './later-proxy';
