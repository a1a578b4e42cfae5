export * from './redacted';
export * from './url-credentials';
export * from './redact-value';
export * from './redact-text';
export { redactTextPatterns } from './text-patterns';
