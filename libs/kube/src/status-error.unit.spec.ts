import { statusError, thrownError } from './status-error';

describe('statusError', () => {
  it('given a 409 from server-side apply, then a conflict naming each field and its manager', () => {
    const body = {
      kind: 'Status', code: 409, reason: 'Conflict',
      message: 'Apply failed with 2 conflicts: conflict with "other" using v1: .data.key\nconflict with "kubectl-edit" using v1 at 2026-01-01T00:00:00Z: .data.other',
      details: {
        name: 'c', kind: 'configmaps',
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "other" using v1', field: '.data.key' },
          { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1 at 2026-01-01T00:00:00Z', field: '.data.other' },
        ],
      },
    };
    expect(statusError(409, body)).toEqual({
      kind: 'conflict',
      message: body.message,
      conflicts: [
        { field: '.data.key', manager: 'other', message: 'conflict with "other" using v1' },
        { field: '.data.other', manager: 'kubectl-edit', message: 'conflict with "kubectl-edit" using v1 at 2026-01-01T00:00:00Z' },
      ],
    });
  });

  it('given a 409 that is not about fields (already exists), then a conflict with no fields', () => {
    expect(statusError(409, { message: 'configmaps "c" already exists', reason: 'AlreadyExists' })).toEqual({ kind: 'conflict', message: 'configmaps "c" already exists', conflicts: [] });
  });

  it('given a 422, then a cause is marked immutable by what the server says of it, not by the value it quotes', () => {
    const causes = [
      { reason: 'FieldValueInvalid', field: 'spec.template', message: 'Invalid value: core.PodTemplateSpec{}: field is immutable' },
      { reason: 'FieldValueInvalid', field: 'metadata.labels', message: 'Invalid value: "immutable build": a valid label must consist of alphanumeric characters' },
    ];
    const error = statusError(422, { message: 'Job.batch "m" is invalid', details: { causes } });
    expect(error).toMatchObject({ kind: 'invalid', causes: [{ field: 'spec.template', immutable: true }, { field: 'metadata.labels' }] });
    expect((error as { causes: Array<{ immutable?: true }> }).causes[1]!.immutable).toBeUndefined();
  });

  it('given a 422, then invalid with the server\'s message and causes', () => {
    const causes = [{ reason: 'FieldValueInvalid', message: 'Invalid value: "Bad_Name"', field: 'metadata.name' }];
    expect(statusError(422, { message: 'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value', details: { causes } }))
      // the value a cause quotes is not passed on (it may be a secret's)
      .toEqual({ kind: 'invalid', message: 'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value', causes: [{ ...causes[0], message: 'Invalid value: [value not shown]' }] });
  });

  it('given the 500 server-side apply answers for an undeclared field, then invalid, not transient', () => {
    const message = 'failed to create typed patch object (ns/web; apps/v1, Kind=Deployment): .spec.replicass: field not declared in schema';
    expect(statusError(500, { kind: 'Status', code: 500, message })).toEqual({ kind: 'invalid', message, causes: [] });
  });

  it.each([
    [400, 'invalid'], [401, 'forbidden'], [403, 'forbidden'], [404, 'not-found'],
    [429, 'transient'], [500, 'transient'], [503, 'transient'], [504, 'transient'], [405, 'other'], [410, 'other'],
  ])('given HTTP %i, then %s', (status, kind) => {
    expect(statusError(status, { message: 'm' }).kind).toBe(kind);
  });

  it('given a 429 with Retry-After, then the delay is kept for the retry', () => {
    expect(statusError(429, { details: { retryAfterSeconds: 2 } })).toMatchObject({ kind: 'transient', retryAfterMs: 2000 });
    expect(statusError(429, 'Too many requests', '3')).toMatchObject({ kind: 'transient', retryAfterMs: 3000, message: 'Too many requests' });
  });
});

describe('thrownError', () => {
  it('given a refused connection, then transient', () => {
    const error = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:6443' } });
    expect(thrownError(error)).toMatchObject({ kind: 'transient', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('given an exception carrying an HTTP status, then it is classified by status', () => {
    expect(thrownError(Object.assign(new Error('Unsuccessful HTTP Request'), { code: 404, body: { message: 'pods "p" not found' } })))
      .toEqual({ kind: 'not-found', message: 'pods "p" not found' });
  });

  it('given a programming error, then other (retrying would not help)', () => {
    expect(thrownError(new Error('Required spec property name is not set')).kind).toBe('other');
    // A name the resolver could not look up for now is no bug: it passes.
    expect(thrownError(Object.assign(new Error('fetch failed'), { cause: { code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN kube.example' } })).kind).toBe('transient');
    expect(thrownError(Object.assign(new Error('bad'), { code: 'ERR_INVALID_URL' })).kind).toBe('other');
    // a name that does not resolve at all is no outage
    expect(thrownError(Object.assign(new Error('fetch failed'), { cause: { code: 'EAI_FAIL', message: 'getaddrinfo EAI_FAIL kube.example' } })).kind).toBe('other');
  });
});
