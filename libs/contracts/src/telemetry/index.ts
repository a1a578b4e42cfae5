export * from './events-log';
export * from './dead-letters';
