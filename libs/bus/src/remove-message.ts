import { JetStreamApiError } from '@nats-io/jetstream';
import type { Bus } from './bus';

/**
 * The server's answers to deleting a message it does not hold: "sequence N not found"
 * (10043) for one between others still there, a failed delete (10057) saying "no message
 * found" for one at either end.
 */
const removedAlready = (error: unknown): boolean =>
  error instanceof JetStreamApiError && (error.code === 10043 || (error.code === 10057 && error.message === 'no message found'));

/**
 * Removes a stored message — `erase`: its bytes overwritten too (a command that carries
 * secret values). One gone already is removed: an earlier run of the same work did it before
 * a lost answer (the server restarting), or JetStream or another remover since.
 */
export async function removeMessage(bus: Bus, stream: string, sequence: number, { erase }: { erase: boolean }): Promise<void> {
  try {
    await bus.jsm.streams.deleteMessage(stream, sequence, erase);
  } catch (error) {
    if (!removedAlready(error)) throw error;
  }
}
