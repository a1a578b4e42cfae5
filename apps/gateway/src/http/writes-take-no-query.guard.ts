import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import { refuseQueryParameters } from './query';

/**
 * No write reads its query string: its fields are in its body. A parameter there is
 * refused naming it, never ignored — `patches/apply?dry_run=true` was a real apply, and
 * `DELETE …?dryRun=All` a real delete. Who asks is known first (401 before 400, as every
 * other look at the request): an anonymous caller learns nothing about the route.
 */
export class WritesTakeNoQuery implements CanActivate {
  constructor(private readonly auth: Authenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method === 'GET' || request.method === 'HEAD' || !request.url.includes('?')) return true;
    await this.auth.identify(request);
    refuseQueryParameters(request, (name) => `unknown field "${name}": a ${request.method} takes its fields in the body, not in the query`);
    return true;
  }
}
