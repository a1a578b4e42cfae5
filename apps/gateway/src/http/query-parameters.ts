import { SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { DomainError } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { queryOf } from './query';

const QUERY_PARAMETERS = 'slipway:query-parameters';

/** The query parameters a read takes; a route without this takes none. */
export const ReadsQuery = (...names: string[]) => SetMetadata(QUERY_PARAMETERS, names);
/** A read whose schema refuses what it does not take, naming it (the audit API's filters). */
export const ChecksItsQuery = () => SetMetadata(QUERY_PARAMETERS, '*');
/** A probe or a scrape (health, metrics): a parameter there filters nothing, and refused, it would fail a health check. */
export const IgnoresQuery = () => SetMetadata(QUERY_PARAMETERS, '*');

/**
 * A query parameter a route does not read is refused naming it, never ignored: a write's
 * fields are in its body (`patches/apply?dry_run=true` was a real apply, `DELETE
 * …?dryRun=All` a real delete), and a read's filter misspelt (`base_configs?versoin=1`)
 * answered everything, as if it had matched. Who asks, and whether they may, is known before
 * (401 and 403 first: the token and the route's capability are checked before anything else
 * of the request is looked at, authenticate-first.ts).
 */
export class TakesOnlyItsQuery implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.url.includes('?')) return true;
    const targets = [context.getHandler(), context.getClass()];
    const taken = this.reflector.getAllAndOverride<string[] | '*' | undefined>(QUERY_PARAMETERS, targets) ?? [];
    if (taken === '*') return true;
    const unknown = Object.keys(queryOf(request)).find((name) => !taken.includes(name));
    if (unknown === undefined) return true;
    const path = request.url.split('?')[0];
    // A DELETE takes no body either (DeletesTakeNoBody): its fields, if any, are its query's.
    const bodiless = request.method === 'GET' || request.method === 'HEAD' || request.method === 'DELETE';
    throw new DomainError('invalid', bodiless
      ? `unknown query parameter "${unknown}": ${request.method} ${path} takes ${taken.length === 0 ? 'none' : taken.map((name) => `"${name}"`).join(', ')}`
      : `unknown field "${unknown}": a ${request.method} takes its fields in the body, not in the query`, unknown);
  }
}
