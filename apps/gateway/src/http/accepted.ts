/**
 * Thrown when the owning service did not answer within the wait bound: the command is
 * safely in JetStream and will be handled, so the client gets 202 and a status URL.
 */
export class CommandAccepted extends Error {
  constructor(readonly commandId: string) {
    super(`command ${commandId} accepted`);
    this.name = 'CommandAccepted';
  }

  get statusUrl(): string {
    return `/api/v1/commands/${encodeURIComponent(this.commandId)}`;
  }
}
