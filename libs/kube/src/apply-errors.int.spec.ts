import { eventually } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { applyObject, FIELD_MANAGER } from './apply-object';
import { deleteObject } from './delete-object';
import { unwrap, type KubeError } from './kube-error';
import type { KubeObject } from './kube-object';
import { findObject, getObject } from './read-object';
import { configMap, deployment } from './kube.testing';

describe('Kubernetes port: server-side apply outcomes as typed values', () => {
  let ns: TestNamespace;
  beforeAll(async () => (ns = await createTestNamespace('apply')));
  afterAll(async () => ns?.dispose());

  /** Another field manager's server-side apply, as kubectl or a controller would send it. */
  async function applyAs(manager: string, object: KubeObject): Promise<void> {
    const path = unwrap(await ns.client.http.resourcePath(object, 'read'));
    unwrap(await ns.client.http.send({ method: 'PATCH', path, query: { fieldManager: manager }, contentType: 'application/apply-patch+yaml', body: JSON.stringify(object) }));
  }

  it('reports a conflict with another field manager, naming the field and the manager, and takes over only with force', async () => {
    await applyAs('other', configMap(ns.namespace, 'shared', { key: 'theirs', also: 'theirs' }));

    const refused = await applyObject(ns.client, configMap(ns.namespace, 'shared', { key: 'ours', also: 'theirs' }));
    expect(refused.ok).toBe(false);
    const error = (refused as { error: KubeError }).error;
    expect(error).toMatchObject({ kind: 'conflict', conflicts: [{ field: '.data.key', manager: 'other' }] });
    expect(error.message).toContain('conflict with "other"');
    // Nothing changed on the server.
    expect(unwrap(await getObject(ns.client, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: ns.namespace } })).data).toEqual({ key: 'theirs', also: 'theirs' });

    const forced = unwrap(await applyObject(ns.client, configMap(ns.namespace, 'shared', { key: 'ours', also: 'theirs' }), { force: true }));
    expect(forced.data).toEqual({ key: 'ours', also: 'theirs' });
    expect(forced.metadata.managedFields?.map((entry) => entry.manager)).toEqual(expect.arrayContaining(['other', FIELD_MANAGER]));
  });

  it('applies, reads and deletes an object whose name holds capitals (RBAC names may) under that name', async () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'Reports-Reader', namespace: ns.namespace }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] } as KubeObject;
    expect(unwrap(await applyObject(ns.client, role)).metadata.name).toBe('Reports-Reader');
    expect(unwrap(await getObject(ns.client, role)).rules).toEqual(role.rules);
    // The lowercase name is another object, which does not exist.
    expect(await findObject(ns.client, { ...role, metadata: { ...role.metadata, name: 'reports-reader' } })).toEqual({ ok: true, value: undefined });
    unwrap(await deleteObject(ns.client, role));
    expect(await findObject(ns.client, role)).toEqual({ ok: true, value: undefined });
  });

  it('applies values holding what YAML does not hold raw (DEL, C1 controls, NEL, U+FFFE, line and paragraph separators) as they are', async () => {
    const data = { del: 'a\u007fb', nel: 'a\u0085b', twoNels: 'a  \u0085\u0085  b', csi: 'a\u009bb', noncharacter: 'a\ufffeb', separators: 'a\u2028b\u2029c', beyond: 'a\u00a0\u00ffb' };
    const applied = unwrap(await applyObject(ns.client, configMap(ns.namespace, 'unusual', data)));
    expect(applied.data).toEqual(data);
    expect(unwrap(await getObject(ns.client, configMap(ns.namespace, 'unusual', {}))).data).toEqual(data);
  });

  it('applies the same manifest again as a no-op: slipway owns its own fields', async () => {
    const first = unwrap(await applyObject(ns.client, configMap(ns.namespace, 'mine', { a: '1' })));
    const again = unwrap(await applyObject(ns.client, configMap(ns.namespace, 'mine', { a: '1' })));
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it('refuses an invalid object with the API server\'s message', async () => {
    const invalid = deployment(ns.namespace, 'broken', 1);
    (invalid.spec as { selector: unknown }).selector = { matchLabels: { app: 'something-else' } };
    const result = await applyObject(ns.client, invalid);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'invalid' }) });
    const error = (result as { error: Extract<KubeError, { kind: 'invalid' }> }).error;
    expect(error.message).toMatch(/Deployment\.apps "broken" is invalid: spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
    expect(error.causes).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'spec.template.metadata.labels' })]));
    expect((await findObject(ns.client, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'broken', namespace: ns.namespace } }))).toEqual({ ok: true, value: undefined });
  });

  it('passes on the API server\'s refusal without the value it quotes (it may be a secret)', async () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'quoted', namespace: ns.namespace }, spec: { type: 'hunter2-not-a-type', ports: [{ port: 80 }] } } as KubeObject;
    const result = await applyObject(ns.client, service);
    const error = (result as { error: Extract<KubeError, { kind: 'invalid' }> }).error;
    expect(error).toMatchObject({ kind: 'invalid', message: expect.stringContaining('spec.type: Unsupported value: [value not shown]') });
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('passes on a refusal that quotes a value of the wrong type without the secrets of the object sent, saying what was wrong', async () => {
    const quoted = deployment(ns.namespace, 'quoted-env', 1);
    const container = (quoted.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers[0]!;
    container.env = [{ name: 'DB_PASSWORD', value: { inner: 'sent-map-s3cret' } }, { name: 'SECRET_TOKEN', valueFrom: 'sent-from-s3cret' }];
    const result = await applyObject(ns.client, quoted);
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    const { message } = (result as { error: KubeError }).error;
    expect(message).toContain('env[name="DB_PASSWORD"].value: expected string, got &value.valueUnstructured{Value:map[string]interface {}{"inner":"[redacted]"}}');
    expect(message).toContain('env[name="SECRET_TOKEN"].valueFrom: expected map');
    expect(JSON.stringify(result)).not.toMatch(/sent-map-s3cret|sent-from-s3cret/);
  });

  it('passes on such a refusal without the secrets sent when the object holds what YAML does not hold raw', async () => {
    const quoted = deployment(ns.namespace, 'quoted-nel', 1);
    const container = (quoted.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers[0]!;
    container.env = [{ name: 'GREETING', value: 'hi\u0085there' }, { name: 'DB_PASSWORD', value: { inner: 'sent-nel-s3cret' } }];
    const result = await applyObject(ns.client, quoted);
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect((result as { error: KubeError }).error.message).toContain('{"inner":"[redacted]"}');
    expect(JSON.stringify(result)).not.toContain('sent-nel-s3cret');
  });

  it('refuses an unknown field (strict field validation) instead of dropping it', async () => {
    const typo = deployment(ns.namespace, 'typo', 1);
    (typo.spec as Record<string, unknown>).replicass = 3;
    const result = await applyObject(ns.client, typo);
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringContaining('.spec.replicass: field not declared in schema') } });
  });

  it('reports reads of absent objects as not-found and deletes them idempotently', async () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'absent', namespace: ns.namespace } };
    expect(await getObject(ns.client, ref)).toMatchObject({ ok: false, error: { kind: 'not-found', message: 'configmaps "absent" not found' } });
    expect(await deleteObject(ns.client, ref)).toEqual({ ok: true, value: undefined });
  });

  it('deletes only the object of the uid given, and a dry run (with or without one) deletes nothing', async () => {
    const kept = configMap(ns.namespace, 'dry', { key: 'v' });
    unwrap(await applyObject(ns.client, kept));
    const uid = unwrap(await getObject(ns.client, kept)).metadata.uid!;
    expect(await deleteObject(ns.client, kept, { dryRun: true })).toEqual({ ok: true, value: undefined });
    expect(await deleteObject(ns.client, kept, { uid, dryRun: true })).toEqual({ ok: true, value: undefined });
    expect(unwrap(await findObject(ns.client, kept))?.metadata.uid).toBe(uid);
    // Another uid: the object under that name is another one, left alone (the one meant is gone).
    expect(await deleteObject(ns.client, kept, { uid: '00000000-0000-4000-8000-000000000000' })).toEqual({ ok: true, value: undefined });
    expect(unwrap(await findObject(ns.client, kept))?.metadata.uid).toBe(uid);
    expect(await deleteObject(ns.client, kept, { uid })).toEqual({ ok: true, value: undefined });
    expect(unwrap(await findObject(ns.client, kept))).toBeUndefined();
  });

  it('reports a kind the server does not serve: invalid in a group it serves, absent in one it does not', async () => {
    const result = await applyObject(ns.client, { apiVersion: 'v1', kind: 'Gizmo', metadata: { name: 'g', namespace: ns.namespace } });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringContaining('the server has no resource for v1 Gizmo') } });
    // a misspelt built-in kind is not sent looking for a CustomResourceDefinition (probe)
    const misspelt = await applyObject(ns.client, { apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'g', namespace: ns.namespace } });
    expect(misspelt).toMatchObject({ ok: false, error: { message: expect.stringContaining('Kubernetes serves no such kind in that group version: check its spelling') } });
    // A group version the server does not serve: nothing of it exists (reads find nothing,
    // deletes are done), and an apply says why.
    const nowhere = { apiVersion: 'nowhere.slipway.test/v1', kind: 'Gizmo', metadata: { name: 'g', namespace: ns.namespace } };
    expect(await applyObject(ns.client, nowhere)).toMatchObject({ ok: false, error: { kind: 'not-found', message: expect.stringContaining('the server has no resource for nowhere.slipway.test/v1 Gizmo') } });
    expect(await findObject(ns.client, nowhere)).toEqual({ ok: true, value: undefined });
    expect(await deleteObject(ns.client, nowhere)).toEqual({ ok: true, value: undefined });
  });

  it('applies a custom resource whose definition was installed after its group version was first looked up (discovery asks again)', async () => {
    const group = `${ns.namespace}.slipway.test`;
    const definition = (kind: string, plural: string): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.${group}` },
      spec: {
        group, scope: 'Namespaced', names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }],
      },
    });
    const custom = (kind: string): KubeObject => ({ apiVersion: `${group}/v1`, kind, metadata: { name: 'one', namespace: ns.namespace }, spec: { size: 1 } } as KubeObject);
    const definitions = [definition('Alpha', 'alphas'), definition('Beta', 'betas')];
    try {
      // given the group version looked up (and cached by the client) with only Alpha in it
      unwrap(await applyObject(ns.client, definitions[0]!));
      await eventually(async () => expect((await applyObject(ns.client, custom('Alpha'))).ok).toBe(true));
      // when Beta's definition is installed in the same group version
      unwrap(await applyObject(ns.client, definitions[1]!));
      // then a Beta applies once the server serves it, without a restart
      await eventually(async () => expect(await applyObject(ns.client, custom('Beta'))).toMatchObject({ ok: true, value: { kind: 'Beta', spec: { size: 1 } } }), 20_000);
    } finally {
      for (const crd of definitions) await deleteObject(ns.client, crd);
    }
  });
});
