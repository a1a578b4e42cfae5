export * from './redacted';
export * from './url-credentials';
export * from './redact-value';
export * from './redact-text';
export { declaresSecret, patternSpans, redactTextKeepingLines, redactTextPatterns } from './text-patterns';
export * from './spans';
export * from './secret-strings';
export * from './sealed-tokens';
