import FindMyWay from 'find-my-way';

/** The routes the gateway serves, as Fastify registered them: for /openapi.json, and for 405s. */
export class ServedRoutes {
  private readonly routes: Array<{ method: string; url: string }> = [];
  /** The same routes in a router of their own, to ask which methods a concrete path has. */
  private readonly router = FindMyWay({ maxParamLength: 256 });

  add(methods: string | string[], url: string): void {
    for (const method of [methods].flat()) {
      // Fastify adds HEAD beside each GET by itself.
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      this.routes.push({ method: method.toLowerCase(), url });
      this.router.on(method as FindMyWay.HTTPMethod, url, () => undefined);
    }
  }

  /** As OpenAPI writes paths: `{name}` for Fastify's `:name`. */
  list(): Array<{ method: string; path: string }> {
    return this.routes.map(({ method, url }) => ({ method, path: url.replace(/:([A-Za-z0-9_]+)/g, '{$1}') }));
  }

  /** The methods served at a path (HEAD with GET), for an `Allow` header; empty when no route matches it. */
  allowedMethods(path: string): string[] {
    const methods = [...new Set(this.routes.map((r) => r.method.toUpperCase()))].filter((m) => this.router.find(m as FindMyWay.HTTPMethod, path));
    return methods.includes('GET') ? [...methods, 'HEAD'] : methods;
  }
}
