import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { Capability } from '@slipway/contracts';

/**
 * Marks on a route, kept in its Fastify config: read where the route's handler is not
 * (server.ts sets body limits before it runs; the token check before the body passes some by;
 * the exception filter shapes its refusals).
 * Each mark adds to the config rather than replacing it, so a route may carry several (Nest's
 * own `@RouteConfig` replaces it: use a mark here instead).
 */
export const marked = (entries: Record<string, unknown>): MethodDecorator => (_target, _key, descriptor) => {
  const before = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, descriptor.value as object) ?? {}) as Record<string, unknown>;
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...before, ...entries }, descriptor.value as object);
  return descriptor;
};

/** A route that takes file uploads: server.ts gives it SLIPWAY_UPLOAD_LIMIT as its body limit. */
export const UPLOAD_ROUTE = 'slipwayUpload';
export const UploadRoute = () => marked({ [UPLOAD_ROUTE]: true });

/** The `data` a route's refusals and 202s carry in a dialect's envelope that has one (the Instabase writes' "If failure"; set by AnswersApplied). */
export const REFUSAL_DATA = 'slipwayRefusalData';

/** A write that answers what it applied, the document's "If failure" (500) included: /openapi.json lists that answer. */
export const ANSWERS_APPLIED = 'slipwayAnswersApplied';

/** The route's refusal data, if it has any. */
export function refusalDataOf(request: { routeOptions?: { config?: unknown } }): Record<string, unknown> | undefined {
  return (request.routeOptions?.config as Record<string, unknown> | undefined)?.[REFUSAL_DATA] as Record<string, unknown> | undefined;
}

/** A route that asks for no token (health, metrics, the OpenAPI document): every other's is checked before its body is read (authenticate-first.ts). */
export const ANSWERS_ANYONE = 'slipwayAnswersAnyone';
export const AnswersAnyone = () => marked({ [ANSWERS_ANYONE]: true });
export const answersAnyone = (request: { routeOptions?: { config?: unknown } }): boolean =>
  (request.routeOptions?.config as Record<string, unknown> | undefined)?.[ANSWERS_ANYONE] === true;

/** A GET whose handler refuses HEAD (refuseHead: it acts or streams): a 405's `Allow` leaves HEAD out there. */
export const HEAD_REFUSED = 'slipwayHeadRefused';
export const HeadRefused = () => marked({ [HEAD_REFUSED]: true });

/**
 * What a route's token must hold: a capability in the namespace its path names
 * (`namespaceParam`), or in every namespace; `any token` for what is addressed by an
 * unguessable id or is the token itself (a command's status, `tokens/self`). Checked before
 * the body is read (authenticate-first.ts), so a token without it is answered 403 before a
 * 400, 413 or 415 about a body it may not send, and again by the handler once the body is
 * in (Authenticator.authorized: a token revoked meanwhile). Every route but those that answer
 * anyone states one: the gateway does not start otherwise (server.ts).
 */
export const NEEDS = 'slipwayNeeds';
export interface Needed { capability: Capability | 'any token'; namespaceParam?: string }
export const Needs = (capability: Capability, namespaceParam?: string) => marked({ [NEEDS]: { capability, ...(namespaceParam ? { namespaceParam } : {}) } satisfies Needed });
export const AnyToken = () => marked({ [NEEDS]: { capability: 'any token' } satisfies Needed });
export const neededBy = (request: { routeOptions?: { config?: unknown } }): Needed | undefined =>
  (request.routeOptions?.config as Record<string, unknown> | undefined)?.[NEEDS] as Needed | undefined;
