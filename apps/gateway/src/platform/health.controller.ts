import { Controller, Get, Res } from '@nestjs/common';
import { Bus } from '@slipway/bus';
import type { FastifyReply } from 'fastify';
import { Metrics } from './metrics';

@Controller()
export class HealthController {
  constructor(private readonly bus: Bus, private readonly metrics: Metrics) {}

  /** Alive: the process answers. */
  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  /** Ready: the bus is connected, so commands can be taken. */
  @Get('readyz')
  readyz(@Res() res: FastifyReply) {
    const ready = !this.bus.nc.isClosed() && !this.bus.nc.isDraining();
    void res.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', nats: ready ? 'connected' : 'disconnected' });
  }

  @Get('metrics')
  metricsText(@Res() res: FastifyReply) {
    void res.type('text/plain; version=0.0.4').send(this.metrics.render());
  }
}
