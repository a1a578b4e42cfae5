import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { DomainError } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { queryOf } from './query';
import { marked } from './route-marks';

/** A query parameter a route reads; a required one is refused 400 when absent or empty. */
export interface QueryParameter { name: string; required: boolean }
/** What a route takes in its query: its parameters, or '*' for one that checks or ignores its query itself. */
export type QueryTaken = QueryParameter[] | '*';

/**
 * Kept in the route's config, so that the guard below and /openapi.json read the same
 * declaration (the document listed none of the Instabase reads' parameters, while the guard
 * refused every other name).
 */
const QUERY_TAKEN = 'slipwayQueryTaken';
const takes = (taken: QueryTaken) => marked({ [QUERY_TAKEN]: taken });

/** The query parameters a read takes, each optional; a route without a mark here takes none. */
export const ReadsQuery = (...names: string[]) => takes(names.map((name) => ({ name, required: false })));
/** The query parameters a read takes, each required. */
export const RequiresQuery = (...names: string[]) => takes(names.map((name) => ({ name, required: true })));
/** A read whose schema refuses what it does not take, naming it (the audit API's filters). */
export const ChecksItsQuery = () => takes('*');
/** A probe or a scrape (health, metrics): a parameter there filters nothing, and refused, it would fail a health check. */
export const IgnoresQuery = () => takes('*');

/** What a route's config says it takes in its query: nothing unless marked. */
export const queryTakenBy = (config: unknown): QueryTaken => ((config as Record<string, unknown> | undefined)?.[QUERY_TAKEN] as QueryTaken | undefined) ?? [];

/**
 * A query parameter a route does not read is refused naming it, never ignored: a write's
 * fields are in its body (`patches/apply?dry_run=true` was a real apply, `DELETE
 * …?dryRun=All` a real delete), and a read's filter misspelt (`base_configs?versoin=1`)
 * answered everything, as if it had matched. Who asks, and whether they may, is known before
 * (401 and 403 first: the token and the route's capability are checked before anything else
 * of the request is looked at, authenticate-first.ts).
 */
export class TakesOnlyItsQuery implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const taken = queryTakenBy(request.routeOptions.config);
    if (taken === '*') return true;
    const query = queryOf(request);
    const unknown = Object.keys(query).find((name) => !taken.some((parameter) => parameter.name === name));
    if (unknown !== undefined) {
      const path = request.url.split('?')[0];
      // A DELETE takes no body either (DeletesTakeNoBody): its fields, if any, are its query's.
      const bodiless = request.method === 'GET' || request.method === 'HEAD' || request.method === 'DELETE';
      throw new DomainError('invalid', bodiless
        ? `unknown query parameter "${unknown}": ${request.method} ${path} takes ${taken.length === 0 ? 'none' : taken.map(({ name }) => `"${name}"`).join(', ')}`
        : `unknown field "${unknown}": a ${request.method} takes its fields in the body, not in the query`, unknown);
    }
    const missing = taken.find(({ name, required }) => required && (query[name] === undefined || query[name] === ''));
    if (missing) throw new DomainError('invalid', `${missing.name} is required`, missing.name);
    return true;
  }
}
