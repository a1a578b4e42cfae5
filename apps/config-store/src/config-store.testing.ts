import { Bus, CommandBus, type SendResult } from '@slipway/bus';
import type { Actor } from '@slipway/contracts';
import type { RunningService } from '@slipway/runtime';
import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import { startConfigStore } from './service';

export const tester: Actor = { principal: 'tester', kind: 'token' };

/** A config-store on a database (its own unless given) and bus prefix of its own, and a client that sends it commands. */
export interface TestConfigStore {
  service: RunningService;
  commands: CommandBus;
  close(): Promise<void>;
}

export async function startTestConfigStore(databaseUrl?: string): Promise<TestConfigStore> {
  const prefix = testBusPrefix();
  const service = await startConfigStore({ databaseUrl: databaseUrl ?? await createTestDatabase(), natsUrl: natsUrl(), busPrefix: prefix });
  const bus = await Bus.connect({ url: natsUrl(), prefix });
  return {
    service,
    commands: new CommandBus(bus, 20_000),
    async close() {
      await bus.close();
      await service.close();
    },
  };
}

/** The value of a write that was answered and succeeded; anything else fails the test with the answer. */
export function completed<T>(result: SendResult<T>): T {
  if (result.status !== 'completed' || !result.reply.ok) throw new Error(`write failed: ${JSON.stringify(result)}`);
  return result.reply.value;
}
