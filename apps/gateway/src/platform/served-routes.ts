import FindMyWay from 'find-my-way';
import type { QueryTaken } from '../http/query-parameters';

/** What a route says of itself in its marks, as OpenAPI lists it. */
export interface RouteMarks {
  /** It asks for no token (AnswersAnyone). */
  open?: boolean;
  /** What its query takes (ReadsQuery and the like): none unless said. */
  query?: QueryTaken;
  /** It answers what it applied, the Instabase "If failure" 500 included (AnswersApplied). */
  answersApplied?: boolean;
}

/** A route as OpenAPI lists it. */
export interface ServedRoute extends RouteMarks { method: string; path: string }

/** The routes the gateway serves, as Fastify registered them: for /openapi.json, and for 405s. */
export class ServedRoutes {
  /** The same routes in a router of their own, to ask which methods a concrete path has. */
  private readonly router = FindMyWay({ maxParamLength: 256 });
  /** GET routes whose handler refuses HEAD (HeadRefused): an `Allow` there leaves HEAD out. */
  private readonly headless = new Set<string>();
  private readonly routes: Array<RouteMarks & { method: string; url: string }> = [];

  add(methods: string | string[], url: string, { headServed = true, ...marks }: RouteMarks & { headServed?: boolean } = {}): void {
    for (const method of [methods].flat()) {
      // Fastify adds HEAD beside each GET by itself.
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      if (method === 'GET' && !headServed) this.headless.add(url);
      this.routes.push({ method: method.toLowerCase(), url, ...marks });
      this.router.on(method as FindMyWay.HTTPMethod, url, () => undefined, { url });
    }
  }

  /** As OpenAPI writes paths: `{name}` for Fastify's `:name`. */
  list(): ServedRoute[] {
    return this.routes.map(({ url, ...route }) => ({ ...route, path: url.replace(/:([A-Za-z0-9_]+)/g, '{$1}') }));
  }

  /** The methods served at a path (HEAD with GET, unless refused there), for an `Allow` header; empty when no route matches it. */
  allowedMethods(path: string): string[] {
    const methods = [...new Set(this.routes.map((r) => r.method.toUpperCase()))].filter((m) => this.served(m, path));
    const get = methods.includes('GET') ? this.router.find('GET', path) : null;
    return get && !this.headless.has((get.store as { url: string }).url) ? [...methods, 'HEAD'] : methods;
  }

  /** Whether a route serves the method at the path, not with an empty parameter (`…/targets/`: its handler answers 404 there). */
  private served(method: string, path: string): boolean {
    const found = this.router.find(method as FindMyWay.HTTPMethod, path);
    return !!found && !Object.values(found.params).includes('');
  }
}
