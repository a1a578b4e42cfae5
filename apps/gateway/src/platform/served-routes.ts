/** Every route the gateway serves, as Fastify registers them: what /openapi.json lists. */
export class ServedRoutes {
  private readonly routes: Array<{ method: string; url: string }> = [];

  add(methods: string | string[], url: string): void {
    for (const method of [methods].flat()) {
      // Fastify adds HEAD beside each GET by itself.
      if (method !== 'HEAD' && method !== 'OPTIONS') this.routes.push({ method: method.toLowerCase(), url });
    }
  }

  /** As OpenAPI writes paths: `{name}` for Fastify's `:name`. */
  list(): Array<{ method: string; path: string }> {
    return this.routes.map(({ method, url }) => ({ method, path: url.replace(/:([A-Za-z0-9_]+)/g, '{$1}') }));
  }
}
