import { redactTextPatterns } from '@slipway/contracts';

/**
 * An error as a service logs it or files it with a dead letter: what looks like a secret
 * redacted (a handler's error may quote what it was sent, an API server's what it refused).
 */
export const shownError = (error: unknown): string => redactTextPatterns(String(error));
