import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, commandStatus, parseCommand, parseQuery, readDeadLetters } from '@slipway/bus';
import {
  DiscardDeadLetter, GetCommandStatus, ListDeadLetters, ReadEvents, RedriveDeadLetter,
  type CommandEnvelope, type CommandStatus, type DeadLetter, type DeadLettersPage, type QueryEnvelope, type RedrivenDeadLetter,
} from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { PLATFORM_BUS, type PlatformBus } from '../platform-status/platform-status.handler';
import { discardDeadLetter, redriveDeadLetter } from './dead-letter-actions';
import { readEvents } from './read-events';

@Controller()
export class AuditHandlers {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(PLATFORM_BUS) private readonly platform: PlatformBus) {}

  @MessagePattern(ReadEvents.subject)
  read(@Payload() envelope: QueryEnvelope) {
    return readEvents(this.db, parseQuery(ReadEvents, envelope));
  }

  @MessagePattern(GetCommandStatus.subject)
  commandStatus(@Payload() envelope: QueryEnvelope): Promise<CommandStatus> {
    return commandStatus(this.db, this.platform.bus, parseQuery(GetCommandStatus, envelope).commandId);
  }

  /** What the bus gave up on (DEADLETTER), for an operator: paged by sequence. */
  @MessagePattern(ListDeadLetters.subject)
  deadLetters(@Payload() envelope: QueryEnvelope): Promise<DeadLettersPage> {
    const { after, limit } = parseQuery(ListDeadLetters, envelope);
    return readDeadLetters(this.platform.bus, after, limit);
  }

  @MessagePattern(DiscardDeadLetter.subject)
  discardDeadLetter(@Payload() envelope: CommandEnvelope): Promise<DeadLetter> {
    return discardDeadLetter(this.db, this.platform.bus, envelope, commandContext(envelope), parseCommand(DiscardDeadLetter, envelope));
  }

  @MessagePattern(RedriveDeadLetter.subject)
  redriveDeadLetter(@Payload() envelope: CommandEnvelope): Promise<RedrivenDeadLetter> {
    return redriveDeadLetter(this.db, this.platform.bus, envelope, commandContext(envelope), parseCommand(RedriveDeadLetter, envelope));
  }

}
