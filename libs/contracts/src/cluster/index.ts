export * from './operations';
export * from './telemetry-jobs';
