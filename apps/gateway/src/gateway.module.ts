import { Module, type DynamicModule } from '@nestjs/common';
import { Bus, CommandBus } from '@slipway/bus';
import { Authenticator } from './auth/authenticator';
import { instabaseControllers, instabaseProviders } from './dialects/instabase';
import { DeploymentTargetsController } from './dialects/ververica/deployment-targets.controller';
import { AuditReads } from './platform/audit-reads';
import { CommandsController } from './platform/commands.controller';
import { DeadLettersController } from './platform/dead-letters.controller';
import { TokensController } from './platform/tokens.controller';
import { EventDoorbell } from './platform/event-doorbell';
import { EventsController } from './platform/events.controller';
import { HealthController } from './platform/health.controller';
import { Metrics } from './platform/metrics';
import { OpenApiController } from './platform/openapi.controller';
import { ServedRoutes } from './platform/served-routes';

export interface GatewaySettings {
  /** How long a request waits for the owning service before answering 202. */
  commandWaitMs: number;
  auditMemoryMib?: number;
}

/** The gateway talks to NATS only: every answer comes from a service over the bus. */
export function gatewayModule(bus: Bus, settings: GatewaySettings): DynamicModule {
  const commands = new CommandBus(bus, settings.commandWaitMs);
  return {
    module: GatewayModule,
    controllers: [DeploymentTargetsController, ...instabaseControllers, CommandsController, DeadLettersController, EventsController, TokensController, HealthController, OpenApiController],
    providers: [{ provide: Bus, useValue: bus }, { provide: CommandBus, useValue: commands }, { provide: EventDoorbell, useValue: new EventDoorbell(bus) },
      { provide: AuditReads, useValue: new AuditReads(commands, settings.auditMemoryMib) }, Authenticator, Metrics, ServedRoutes, ...instabaseProviders],
  };
}

@Module({})
export class GatewayModule {}
