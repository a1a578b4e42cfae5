import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { connectWhenReachable } from '@slipway/runtime';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { readBodiesAsSent } from './http/body-parsers';
import { answerClientError, answerUnmetExpectation, closeUnlessBodyIsSmall, forgetRequestInFlight, noteRequestInFlight } from './http/client-error';
import { trackUnanswered } from './http/unanswered';
import { dialectOf } from './http/dialect';
import { errorBody, routerRefusal } from './http/error-shapes';
import { send } from './http/respond';
import { answerConnect } from './http/connect-as-request';
import { continueAfterToken } from './http/continue-after-token';
import { refuseBadHostHeaders } from './http/host-header';
import { shedWhileClosing } from './http/shed-while-closing';
import { answerAfterHalfClose, oneAtATime } from './http/one-at-a-time';
import { DialectExceptionFilter } from './http/dialect-exception.filter';
import { gatewayModule } from './gateway.module';
import { Authenticator } from './auth/authenticator';
import { authenticateFirst } from './auth/authenticate-first';
import { Metrics } from './platform/metrics';
import { ServedRoutes } from './platform/served-routes';
import { ANSWERS_ANYONE, ANSWERS_APPLIED, HEAD_REFUSED, NEEDS, UPLOAD_ROUTE } from './http/route-marks';
import { queryTakenBy, TakesOnlyItsQuery } from './http/query-parameters';
import { DeletesTakeNoBody } from './http/deletes-take-no-body.guard';


export interface GatewayConfig {
  natsUrl: string;
  busPrefix?: string;
  host: string;
  port: number;
  /** Largest request body accepted, in bytes (documented in README). */
  bodyLimit: number;
  /** Largest body of a file-upload route (base configs, patches), in bytes; bodyLimit when unset. */
  uploadLimit?: number;
  commandWaitMs: number;
  /**
   * How long a request's headers and body may take to arrive (120 s when unset): one whose
   * body stops short of its Content-Length is answered 408 then, rather than held open.
   * Checked every quarter of it (at most every 30 s, Node's own interval).
   */
  requestTimeoutMs?: number;
  /** The audit log's pages the gateway holds at once for clients yet to take them, in MiB (128 when unset; audit-reads.ts). */
  auditMemoryMib?: number;
}

export interface RunningGateway {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Fastify's router refuses a few requests (bad percent-encoding in the path) before any
 * route, hook or exception filter runs: they are answered in the path's dialect all the same.
 * This replaces the adapter's own handler, which only adds Nest's security headers (not
 * used here) to Fastify's default body.
 */
function answerRouterRefusal(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const [status, refusal] = routerRefusal(error, request.url);
  if (status >= 500) new Logger('gateway').error(`${request.method} ${request.url}: ${error.stack ?? error.message}`);
  send(request, reply, status, errorBody(dialectOf(request.url), status, refusal));
}

export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const bus = await connectWhenReachable({ url: config.natsUrl, prefix: config.busPrefix, name: 'gateway' }, new Logger('gateway'));
  // Path parameters carry Kubernetes object names, up to 253 characters (Fastify's default is 100).
  const requestTimeout = config.requestTimeoutMs ?? 120_000;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit, trustProxy: false, frameworkErrors: answerRouterRefusal, clientErrorHandler: answerClientError, routerOptions: { maxParamLength: 256 }, return503OnClosing: false,
    // Given to Node's server as it is made, too: set on it afterwards only (as Fastify
    // does), it is never checked (seen: a body short of its Content-Length held for good).
    // The headers within the same time (Node's own 60 s answered unfinished headers at 60–90 s).
    // Checked every second (Node's default, 30 s, answered a 120 s timeout at up to 150 s).
    // A request without a Host header is refused by refuseBadHostHeaders, in the dialect's shape.
    requestTimeout, http: { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: Math.min(1_000, Math.ceil(requestTimeout / 4)), requireHostHeader: false },
  });
  const app = await NestFactory.create<NestFastifyApplication>(gatewayModule(bus, config), adapter, { bodyParser: false, logger: ['error', 'warn'] });
  const fastify = app.getHttpAdapter().getInstance();
  readBodiesAsSent(fastify, config.bodyLimit);
  fastify.server.on('checkExpectation', answerUnmetExpectation);
  // Upload routes take a larger limit.
  const served = app.get(ServedRoutes);
  fastify.addHook('onRoute', (route) => {
    const marks = route.config as Record<string, unknown> | undefined;
    if (marks?.[UPLOAD_ROUTE]) route.bodyLimit = config.uploadLimit ?? config.bodyLimit;
    // Every route says who may call it: one that did not would be served to any token, or to none.
    if (!marks?.[ANSWERS_ANYONE] && !marks?.[NEEDS]) throw new Error(`${String(route.method)} ${route.url} states neither what its token needs (Needs, AnyToken) nor that it answers anyone`);
    served.add(route.method, route.url, {
      headServed: !marks?.[HEAD_REFUSED], open: marks?.[ANSWERS_ANYONE] === true, query: queryTakenBy(marks), answersApplied: marks?.[ANSWERS_APPLIED] === true,
    });
  });
  oneAtATime(fastify);
  answerAfterHalfClose(fastify);
  shedWhileClosing(fastify);
  refuseBadHostHeaders(fastify);
  trackUnanswered(fastify.server);
  fastify.addHook('onRequest', async (request) => noteRequestInFlight(request.raw.socket, request.url));
  authenticateFirst(fastify, app.get(Authenticator));
  continueAfterToken(fastify);
  answerConnect(fastify);
  const metrics = app.get(Metrics);
  fastify.addHook('onSend', async (request, reply, payload) => {
    // Every answer, the unauthenticated ones too (a health check, the metrics): none is to be kept.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    closeUnlessBodyIsSmall(request.raw, reply.raw);
    return payload;
  });
  fastify.addHook('onResponse', async (request, reply) => {
    forgetRequestInFlight(request.raw.socket);
    metrics.observe(dialectOf(request.url), request.method, reply.statusCode, reply.elapsedTime);
  });
  app.useGlobalFilters(new DialectExceptionFilter(served));
  app.useGlobalGuards(new TakesOnlyItsQuery(), new DeletesTakeNoBody());
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
