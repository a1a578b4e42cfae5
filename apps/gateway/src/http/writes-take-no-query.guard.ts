import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { DomainError } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { queryOf } from './query';

/**
 * No write reads its query string: its fields are in its body. A parameter there is
 * refused naming it, never ignored — `patches/apply?dry_run=true` was a real apply, and
 * `DELETE …?dryRun=All` a real delete.
 */
export class WritesTakeNoQuery implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method === 'GET' || request.method === 'HEAD') return true;
    const [name] = Object.keys(queryOf(request));
    if (name !== undefined) throw new DomainError('invalid', `unknown field "${name}": a ${request.method} takes its fields in the body, not in the query`, name);
    return true;
  }
}
