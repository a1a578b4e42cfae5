import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { refuseQueryParameters } from './query';

/**
 * No write reads its query string: its fields are in its body. A parameter there is
 * refused naming it, never ignored — `patches/apply?dry_run=true` was a real apply, and
 * `DELETE …?dryRun=All` a real delete.
 */
export class WritesTakeNoQuery implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method === 'GET' || request.method === 'HEAD') return true;
    refuseQueryParameters(request, (name) => `unknown field "${name}": a ${request.method} takes its fields in the body, not in the query`);
    return true;
  }
}
