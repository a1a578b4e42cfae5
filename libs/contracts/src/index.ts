export * from './errors';
export * from './envelope';
export * from './define';
export * from './names';
export * from './targets';
export * from './installations';
export * from './access';
export * from './telemetry';
