export * from './events-log';
