/**
 * Thrown when the owning service did not answer within the wait bound: the command is
 * safely in JetStream and will be handled, so the client gets 202 and a status URL.
 * `data`: what is known already, for the dialects whose 202 has a data envelope (an
 * Instabase write committed before its push: what it changed and the patches it left out).
 */
export class CommandAccepted extends Error {
  constructor(readonly commandId: string, readonly data?: Record<string, unknown>) {
    super(`command ${commandId} accepted`);
    this.name = 'CommandAccepted';
  }

  get statusUrl(): string {
    return `/api/v1/commands/${encodeURIComponent(this.commandId)}`;
  }
}
