import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Bus } from '@slipway/bus';
import { dialectOf } from './http/dialect';
import { DialectExceptionFilter } from './http/dialect-exception.filter';
import { gatewayModule } from './gateway.module';
import { Metrics } from './platform/metrics';

export interface GatewayConfig {
  natsUrl: string;
  busPrefix?: string;
  host: string;
  port: number;
  /** Largest request body accepted, in bytes (documented in README). */
  bodyLimit: number;
  commandWaitMs: number;
}

export interface RunningGateway {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const bus = await Bus.connect({ url: config.natsUrl, prefix: config.busPrefix, name: 'gateway' });
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimit, trustProxy: false });
  const app = await NestFactory.create<NestFastifyApplication>(gatewayModule(bus, config), adapter, { bodyParser: false, logger: ['error', 'warn'] });
  const fastify = app.getHttpAdapter().getInstance();
  // Bodies reach the dialect as text: each dialect parses JSON or YAML itself and
  // reports malformed input in its own error shape.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: config.bodyLimit }, (_req, body, done) => done(null, body));
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.observe(dialectOf(request.url), request.method, reply.statusCode, reply.elapsedTime);
  });
  app.useGlobalFilters(new DialectExceptionFilter());
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  new Logger('gateway').log(`listening on ${url}`);
  return {
    app, url,
    async close() {
      await app.close();
      await bus.close();
    },
  };
}
