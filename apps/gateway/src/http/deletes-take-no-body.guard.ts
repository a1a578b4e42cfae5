import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { DomainError } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator';

/**
 * No DELETE of any dialect reads a body: what it deletes is in its path. A body sent with
 * one (`{"force": true}`, malformed JSON) is refused rather than ignored, as a write's
 * unknown field is; an empty one is no body. Who asks is known first (401 before 400).
 */
export class DeletesTakeNoBody implements CanActivate {
  constructor(private readonly auth: Authenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'DELETE' || !hasBody(request.body)) return true;
    await this.auth.identify(request);
    throw new DomainError('invalid', `a DELETE takes no body: what it deletes is named in its path (${request.url.split('?')[0]})`);
  }
}

const hasBody = (body: unknown): boolean => (typeof body === 'string' || Buffer.isBuffer(body) ? body.length > 0 : body !== undefined && body !== null);
