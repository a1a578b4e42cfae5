import { Catch, HttpException, Logger, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError, quoted, redactSecretShapes, type ErrorCode, type SlipwayError } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServedRoutes } from '../platform/served-routes';
import { CommandAccepted } from './accepted';
import { HeadNotServed } from './head-not-served';
import { dialectOf } from './dialect';
import { inIdempotencyTerms } from './idempotency';
import { acceptedBody, errorBody, STATUS_BY_CODE } from './error-shapes';
import { send } from './respond';
import { refusalDataOf } from './route-marks';
import type { ExplainedRefusal } from './body-parsers';

const CODE_BY_STATUS: Record<number, ErrorCode> = { 400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 503: 'unavailable' };

/** Everything that goes wrong in a request, mapped once to the dialect's status and shape. */
@Catch()
export class DialectExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('gateway');

  constructor(private readonly served?: ServedRoutes) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const dialect = dialectOf(request.url);
    if (exception instanceof CommandAccepted) {
      reply.header('location', exception.statusUrl);
      send(request, reply, 202, acceptedBody(dialect, exception, refusalDataOf(request)));
      return;
    }
    const allowed = this.methodsElsewhere(exception, request);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      const message = `${request.method} is not allowed on ${quoted(request.url.split('?')[0])}; allowed: ${allowed.join(', ')}`;
      send(request, reply, 405, errorBody(dialect, 405, { code: 'invalid', message }));
      return;
    }
    const [status, error] = this.classify(exception, request);
    // RFC 9110 11.6.1: a 401 names the scheme that would be taken (every dialect takes Bearer).
    if (status === 401) reply.header('www-authenticate', 'Bearer realm="slipway"');
    // RFC 9110 10.2.3: a 503 that may pass ("retry shortly": a service or the cluster did not
    // answer) says when; one that will not (no cluster configured) does not invite a retry.
    if (status === 503 && error.final !== true) reply.header('retry-after', '1');
    // A refusal may quote what it was sent (a path, a field's value, a key in the field's path): a secret by its shape is not shown back.
    const shown = { ...error, message: redactSecretShapes(error.message), ...(error.field ? { field: redactSecretShapes(error.field) } : {}) };
    send(request, reply, status, errorBody(dialect, status, shown, refusalDataOf(request)));
  }

  /** For a path no route serves with this method: the methods that do serve it (a 405, not a 404). */
  private methodsElsewhere(exception: unknown, request: FastifyRequest): string[] {
    if (exception instanceof HeadNotServed) return ['GET'];
    // The router's 404 is Nest's NotFoundException; handlers refuse with DomainError.
    if (!(exception instanceof NotFoundException) || !this.served) return [];
    const allowed = this.served.allowedMethods(request.url.split('?')[0]!);
    return allowed.includes(request.method) ? [] : allowed;
  }

  private classify(exception: unknown, request: FastifyRequest): [number, SlipwayError] {
    if (exception instanceof DomainError) return [STATUS_BY_CODE[exception.code], inIdempotencyTerms(exception.toJSON(), request)];
    const status = exception instanceof HttpException ? exception.getStatus() : (exception as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return [status, { code: CODE_BY_STATUS[status] ?? 'invalid', message: clientMessage(status, exception, request) }];
    }
    this.log.error(`${request.method} ${request.url}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    return [500, { code: 'internal', message: 'internal error; it has been logged' }];
  }
}

function clientMessage(status: number, exception: unknown, request: FastifyRequest): string {
  if (status === 404) return `no route for ${request.method} ${quoted(request.url.split('?')[0])}`;
  if (status === 413) {
    const limit = request.routeOptions.bodyLimit;
    const shown = limit === undefined ? 'the limit' : `the ${bytesInWords(limit)} this route takes`;
    return `request body is larger than ${shown} (SLIPWAY_BODY_LIMIT; SLIPWAY_UPLOAD_LIMIT on upload routes)`;
  }
  if ((exception as Partial<ExplainedRefusal>).explained) return (exception as ExplainedRefusal).message;
  if (status === 415) return `unsupported content type ${JSON.stringify(request.headers['content-type'] ?? '')}; send application/json or application/yaml`;
  return exception instanceof Error ? exception.message : 'bad request';
}

/** 1048576 as "1 MiB", 2000 as "2000 bytes". */
function bytesInWords(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
