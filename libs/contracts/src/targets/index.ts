export * from './target';
export * from './commands';
export * from './queries';
export * from './events';
