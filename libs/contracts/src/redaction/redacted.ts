/** What stands in for a secret wherever one is shown: events, exports, dead letters. */
export const REDACTED = '[redacted]';
