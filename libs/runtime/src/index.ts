export * from './config';
export * from './database.module';
export * from './start-service';
export * from './run-until-signal';
