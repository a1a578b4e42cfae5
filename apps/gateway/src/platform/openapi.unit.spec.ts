import { buildOpenApi } from './openapi';

type Operation = { parameters?: Array<{ name: string; in: string; required?: boolean }>; security: unknown[]; responses: Record<string, unknown>; summary: string; description?: string };

describe('the OpenAPI document', () => {
  const served = [
    { method: 'get', path: '/api/v1/namespaces/{namespace}/deployment-targets' },
    { method: 'post', path: '/api/v1/namespaces/{namespace}/deployment-targets' },
    { method: 'put', path: '/api/v1/namespaces/{namespace}/deployment-targets/{name}' },
    { method: 'get', path: '/api/v1/control_plane/patches/{object}' },
    { method: 'delete', path: '/api/v1/control_plane/patches/{version}' },
    { method: 'get', path: '/api/v1/commands/{id}' },
    { method: 'post', path: '/api/v1/tokens' },
    { method: 'get', path: '/openapi.json', open: true },
  ];
  const document = buildOpenApi(served);
  const operations = Object.entries(document.paths).flatMap(([path, byMethod]) => Object.entries(byMethod as unknown as Record<string, Operation>).map(([method, op]) => ({ path, method, op })));

  it('declares every path parameter of every operation (templates without them are invalid)', () => {
    for (const { path, op } of operations) {
      const named = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name);
      expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(named);
    }
  });

  it('gives every parameter a schema (OpenAPI requires a schema or a content)', () => {
    const full = buildOpenApi([...served, { method: 'get', path: '/api/v1/dead-letters' }, { method: 'get', path: '/api/v1/events' }]);
    const parameters = Object.values(full.paths).flatMap((byMethod) => Object.values(byMethod as unknown as Record<string, Operation>).flatMap((op) => op.parameters ?? []));
    expect(parameters.length).toBeGreaterThan(10);
    for (const parameter of parameters) expect(parameter).toHaveProperty('schema');
  });

  it('holds target names to the rule the gateway does: the document\'s example name matches, one with "_" does not', () => {
    const full = buildOpenApi(served) as unknown as { components: { schemas: { DeploymentTarget: { properties: { metadata: { properties: { name: { pattern: string } } } } } } } };
    const pattern = new RegExp(full.components.schemas.DeploymentTarget.properties.metadata.properties.name.pattern);
    expect(['myDeploymentTarget', 'staging'].map((name) => pattern.test(name))).toEqual([true, true]);
    expect(pattern.test('my_target')).toBe(false);
  });

  it('describes the event stream\'s position and filters', () => {
    const full = buildOpenApi([{ method: 'get', path: '/api/v1/events/stream' }]);
    const names = ((full.paths['/api/v1/events/stream'] as unknown as Record<string, Operation>).get!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(names).toContain('from');
    expect(names).toContain('stream');
    expect(names).not.toContain('after');
    // the reader's page budget is no HTTP parameter; a token's share of streams taken is a 429
    expect(names).not.toContain('maxBytes');
    expect(Object.keys((full.paths['/api/v1/events/stream'] as unknown as Record<string, Operation>).get!.responses ?? {})).toContain('429');
    // and of pages being read (probe: the listing's 429 was not documented)
    const listing = buildOpenApi([{ method: 'get', path: '/api/v1/events' }]);
    expect(Object.keys((listing.paths['/api/v1/events'] as unknown as Record<string, Operation>).get!.responses ?? {})).toContain('429');
  });

  it('lists only what is served, and paths differing only in parameter names once', () => {
    expect(operations.map(({ method, path }) => `${method} ${path}`).sort()).toEqual([
      'delete /api/v1/control_plane/patches/{object}', 'get /api/v1/commands/{id}', 'get /api/v1/control_plane/patches/{object}',
      'get /api/v1/namespaces/{namespace}/deployment-targets', 'get /openapi.json', 'post /api/v1/namespaces/{namespace}/deployment-targets',
      'post /api/v1/tokens', 'put /api/v1/namespaces/{namespace}/deployment-targets/{name}',
    ]);
    expect(document.paths['/api/v1/control_plane/patches/{object}']!.delete!.description).toBe('The path\'s parameters are, in order: version');
  });

  it('takes a token in any of the three headers the gateway reads, and none for the document itself', () => {
    expect(Object.values(document.components.securitySchemes).map((scheme) => ('name' in scheme ? scheme.name : scheme.scheme))).toEqual(['bearer', 'Token', 'X-Nomad-Token']);
    expect(document.paths['/api/v1/namespaces/{namespace}/deployment-targets']!.get!).toMatchObject({ security: [{ bearer: [] }, { token: [] }, { nomadToken: [] }] });
    expect(document.paths['/openapi.json']!.get!).toMatchObject({ security: [] });
  });

  it('says what each operation answers, in its dialect\'s error shape, and which writes take an Idempotency-Key (every write an X-Correlation-Id)', () => {
    const create = document.paths['/api/v1/namespaces/{namespace}/deployment-targets']!.post! as unknown as Operation;
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '202', '400', '401', '403', '409', '415', '422']));
    // A create answers 201, never 200; a token's issue is withdrawn (503) rather than answered 202.
    expect(Object.keys(create.responses)).not.toContain('200');
    expect(Object.keys((document.paths['/api/v1/tokens']!.post! as unknown as Operation).responses)).toEqual(expect.arrayContaining(['201', '503']));
    expect(Object.keys((document.paths['/api/v1/tokens']!.post! as unknown as Operation).responses)).not.toContain('202');
    expect(create.responses['409']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/VervericaError' } } } });
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
    const issue = document.paths['/api/v1/tokens']!.post! as unknown as Operation & { requestBody: { content: Record<string, { schema: { required: string[]; properties: object } }> } };
    expect(issue.parameters ?? []).not.toContainEqual(expect.objectContaining({ name: 'Idempotency-Key' }));
    expect(issue.parameters).toContainEqual(expect.objectContaining({ name: 'X-Correlation-Id', in: 'header' }));
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: 'X-Correlation-Id', in: 'header' }));
    expect(issue.requestBody.content['application/json']!.schema).toMatchObject({ required: ['principal', 'grants'] });
    expect(Object.keys(issue.requestBody.content['application/json']!.schema.properties)).toEqual(['principal', 'grants']);
  });

  describe('as the routes\' own marks say (a probe compared the document with live answers)', () => {
    const instabase = '/api/v1/control_plane';
    const marked = buildOpenApi([
      { method: 'post', path: `${instabase}/patches/apply`, answersApplied: true },
      { method: 'get', path: `${instabase}/base_configs/upload/{requestId}`, answersApplied: true },
      { method: 'post', path: `${instabase}/deployment/update` },
      { method: 'get', path: `${instabase}/base_configs`, query: [{ name: 'version', required: false }, { name: 'object', required: false }] },
      { method: 'get', path: `${instabase}/patches/search`, query: ['query', 'caseSensitive', 'limit'].map((name) => ({ name, required: true })) },
      { method: 'get', path: `${instabase}/obs/telescope/import/{id}/status`, query: [{ name: 'id', required: false }] },
      { method: 'get', path: '/api/v1/events', query: '*' },
      { method: 'delete', path: '/api/v1/tokens/{id}' },
      { method: 'delete', path: '/api/v1/tokens/self' },
      { method: 'post', path: '/api/v1/tokens' },
      { method: 'get', path: '/openapi.json', open: true },
      { method: 'get', path: '/healthz', open: true, query: '*' },
    ]);
    const operation = (path: string, method: string) => (marked.paths[path] as unknown as Record<string, Operation>)[method]!;
    const statuses = (path: string, method: string) => Object.keys(operation(path, method).responses);
    const query = (path: string) => (operation(path, 'get').parameters ?? []).filter((p) => p.in === 'query');

    it('lists the "If failure" 500 of the writes that answer what they applied, and the 202 of the asynchronous upload\'s result while PENDING', () => {
      expect(statuses(`${instabase}/patches/apply`, 'post')).toContain('500');
      expect(operation(`${instabase}/patches/apply`, 'post').responses['500']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/InstabaseError' } } } });
      expect(statuses(`${instabase}/base_configs/upload/{requestId}`, 'get')).toEqual(expect.arrayContaining(['200', '202', '500']));
      // A push answers 200 with its failure map, as the document's "Update all objects" shows.
      expect(statuses(`${instabase}/deployment/update`, 'post')).not.toContain('500');
    });

    it('lists 405 (with Allow) on every operation, and 414 on every one with a path parameter', () => {
      for (const [path, byMethod] of Object.entries(marked.paths)) {
        for (const [method, op] of Object.entries(byMethod as unknown as Record<string, Operation>)) {
          expect({ path, method, allow: op.responses['405'] }).toMatchObject({ path, method, allow: { headers: { Allow: expect.anything() } } });
          expect({ path, method, uriTooLong: '414' in op.responses }).toEqual({ path, method, uriTooLong: path.includes('{') });
        }
      }
    });

    it('declares each route\'s query parameters from the mark the server refuses other names by, required where it requires them', () => {
      expect(query(`${instabase}/base_configs`)).toEqual([
        { name: 'version', in: 'query', required: false, schema: { type: 'string' } }, { name: 'object', in: 'query', required: false, schema: { type: 'string' } },
      ]);
      expect(query(`${instabase}/patches/search`).map(({ name, required }) => ({ name, required }))).toEqual([
        { name: 'query', required: true }, { name: 'caseSensitive', required: true }, { name: 'limit', required: true },
      ]);
      // The path's id and the query's are two parameters: either may name the import.
      expect(operation(`${instabase}/obs/telescope/import/{id}/status`, 'get').parameters!.map((p) => `${p.in} ${p.name}`)).toEqual(['path id', 'query id']);
      // A route whose own schema checks its query keeps the parameters described by hand.
      expect(query('/api/v1/events').map((p) => p.name)).toContain('correlationId');
      // An open route that takes no query refuses one 400; one that ignores its query does not.
      expect(statuses('/openapi.json', 'get')).toContain('400');
      expect(statuses('/healthz', 'get')).not.toContain('400');
    });

    it('lets an Instabase refusal carry what was applied in data, as the writes that answer it send it', () => {
      const data = (marked.components.schemas as unknown as Record<string, { properties: { data: { anyOf?: Array<{ type: string; required?: string[] }> } } }>).InstabaseError!.properties.data;
      expect(data.anyOf).toContainEqual({ type: 'null' });
      expect(data.anyOf).toContainEqual(expect.objectContaining({ type: 'object', required: ['successful_apply', 'failed_to_apply'] }));
    });

    it('takes an Idempotency-Key on a token\'s revocation, refused on its issue alone', () => {
      const takesKey = (path: string, method: string) => (operation(path, method).parameters ?? []).some((p) => p.name === 'Idempotency-Key');
      expect([takesKey('/api/v1/tokens/{id}', 'delete'), takesKey('/api/v1/tokens/self', 'delete'), takesKey('/api/v1/tokens', 'post')]).toEqual([true, true, false]);
    });
  });
});
