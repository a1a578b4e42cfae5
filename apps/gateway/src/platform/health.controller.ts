import { Controller, Get, Res } from '@nestjs/common';
import { Bus } from '@slipway/bus';
import type { FastifyReply } from 'fastify';
import { Metrics } from './metrics';
import { IgnoresQuery } from '../http/query-parameters';
import { AnswersAnyone } from '../http/route-marks';

/** How long a readiness probe waits for the bus's answer (a probe's own timeout is usually longer). */
const READY_ROUND_TRIP_MS = 2_000;

@Controller()
export class HealthController {
  constructor(private readonly bus: Bus, private readonly metrics: Metrics) {}

  /** Alive: the process answers. */
  @Get('healthz')
  @IgnoresQuery()
  @AnswersAnyone()
  healthz() {
    return { status: 'ok' };
  }

  /**
   * Ready: the bus answers a round trip in time, so commands can be taken. A connection that
   * is open but whose server has stalled (or is being reconnected) is not ready either.
   */
  @Get('readyz')
  @IgnoresQuery()
  @AnswersAnyone()
  async readyz(@Res() res: FastifyReply) {
    const nats = await this.natsState();
    const ready = nats === 'connected';
    void res.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', nats });
  }

  private async natsState(): Promise<'connected' | 'unresponsive' | 'disconnected'> {
    const { nc } = this.bus;
    if (nc.isClosed() || nc.isDraining()) return 'disconnected';
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), READY_ROUND_TRIP_MS); });
    const answered = await Promise.race([nc.rtt().then(() => true, () => false), late]);
    clearTimeout(timer);
    return answered ? 'connected' : 'unresponsive';
  }

  @Get('metrics')
  @IgnoresQuery()
  @AnswersAnyone()
  metricsText(@Res() res: FastifyReply) {
    void res.type('text/plain; version=0.0.4').send(this.metrics.render());
  }
}
