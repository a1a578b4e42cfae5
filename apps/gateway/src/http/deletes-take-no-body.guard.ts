import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { DomainError } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';

/**
 * No DELETE of any dialect reads a body: what it deletes is in its path. A body sent with
 * one (`{"force": true}`, malformed JSON) is refused rather than ignored, as a write's
 * unknown field is; an empty one is no body. Who asks, and whether they may, is known before
 * (401 and 403 first, authenticate-first.ts).
 */
export class DeletesTakeNoBody implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'DELETE' || !hasBody(request.body)) return true;
    throw new DomainError('invalid', `a DELETE takes no body: what it deletes is named in its path (${request.url.split('?')[0]})`);
  }
}

const hasBody = (body: unknown): boolean => (typeof body === 'string' || Buffer.isBuffer(body) ? body.length > 0 : body !== undefined && body !== null);
