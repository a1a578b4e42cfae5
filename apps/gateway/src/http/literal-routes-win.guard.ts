import { NotFoundException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ServedRoutes } from '../platform/served-routes';

/**
 * A request the router gave to a route with a parameter, at a path another method's route
 * has literally (`GET patches/apply`, `DELETE patches/apply`), is not that route's: refused
 * as a path no route serves with its method, 405 with the methods that do (the exception
 * filter's), before its token is asked for, as the router's own 405s are.
 */
export class LiteralRoutesWin implements CanActivate {
  constructor(private readonly served: ServedRoutes) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.served.serves(request.method, request.url.split('?')[0]!)) return true;
    throw new NotFoundException();
  }
}
