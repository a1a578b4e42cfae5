export * from './config';
export * from './settings';
export * from './database.module';
export * from './start-service';
export * from './run-until-signal';
export * from './health.handler';
export * from './pass-through.filter';
export * from './off-loop';
