import { at, given, names } from './spec-helpers';

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web, tier: front}, finalizers: [a, b]}
spec:
  replicas: 2
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    spec:
      containers:
      - {name: app, image: app:1, env: [{name: A, value: "1"}, {name: B, value: "2"}]}
      - {name: sidecar, image: proxy:1}
      - {name: metrics, image: m:1}
      volumes:
      - {name: data, emptyDir: {}}
      - {name: config, configMap: {name: web}}
`;
const podSpec = (result: ReturnType<ReturnType<typeof given>['whenPatched']>) => at(result, 'spec', 'template', 'spec');

describe('strategic merge directives', () => {
  describe('null', () => {
    it('given labels, when a patch sets one to null, then that key is deleted and the others stay', () => {
      const result = given(deployment).whenPatched(`metadata: {labels: {tier: null}}`);
      expect(at(result, 'metadata', 'labels')).toEqual({ app: 'web' });
    });

    it('given a field, when a patch nulls a missing key, then nothing is added', () => {
      const result = given(deployment).whenPatched(`spec: {paused: null}`);
      expect(at(result, 'spec')).not.toHaveProperty('paused');
    });

    it('given a list with a merge key, when a patch nulls the list, then the list is gone', () => {
      const result = given(deployment).whenPatched(`spec: {template: {spec: {volumes: null}}}`);
      expect(podSpec(result)).not.toHaveProperty('volumes');
    });
  });

  describe('$patch: delete', () => {
    it('given three containers, when a patch deletes one by name, then the others keep their order', () => {
      const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: sidecar, $patch: delete}]}}}`);
      expect(names(at(podSpec(result), 'containers'))).toEqual(['app', 'metrics']);
    });

    it('given a container env, when a patch deletes a variable, then it is removed', () => {
      const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: app, env: [{name: A, $patch: delete}]}]}}}`);
      expect(at(podSpec(result), 'containers', 0, 'env')).toEqual([{ name: 'B', value: '2' }]);
    });

    it('given a map, when a patch puts $patch: delete in it, then the map is removed', () => {
      const result = given(deployment).whenPatched(`spec: {strategy: {$patch: delete}}`);
      expect(at(result, 'spec')).not.toHaveProperty('strategy');
    });

    it('given a deployment, when the patch deletes the whole object, then the result is null', () => {
      expect(given(deployment).whenPatched(`{kind: Deployment, metadata: {name: web}, $patch: delete}`)).toBeNull();
    });

    it('given a list, when a patch holds only {$patch: delete}, then the list is removed (kustomize)', () => {
      const result = given(deployment).whenPatched(`spec: {template: {spec: {volumes: [{$patch: delete}]}}}`);
      expect(podSpec(result)).not.toHaveProperty('volumes');
    });

    it('given no such element, when a patch deletes it, then nothing changes and nothing is added', () => {
      const result = given(deployment).whenPatched(`spec: {template: {spec: {containers: [{name: ghost, $patch: delete}]}}}`);
      expect(names(at(podSpec(result), 'containers'))).toEqual(['app', 'sidecar', 'metrics']);
    });
  });

  describe('$patch: replace', () => {
    it('given three containers, when a patch list carries {$patch: replace}, then the list is exactly the patch', () => {
      const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: only, image: o:1}, {$patch: replace}]}}}`);
      expect(at(podSpec(result), 'containers')).toEqual([{ name: 'only', image: 'o:1' }]);
    });

    it('given a map, when a patch map carries $patch: replace, then the map is replaced, not merged', () => {
      const result = given(deployment).whenPatched(`metadata: {labels: {$patch: replace, app: other}}`);
      expect(at(result, 'metadata', 'labels')).toEqual({ app: 'other' });
    });

    it('given a container, when its patch element carries $patch: replace, then only that element is replaced', () => {
      const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: app, image: app:2, $patch: replace}]}}}`);
      expect(at(podSpec(result), 'containers', 0)).toEqual({ name: 'app', image: 'app:2' });
      expect(at(podSpec(result), 'containers')).toHaveLength(3);
    });
  });

  describe('$patch: merge', () => {
    it('given labels, when a patch says $patch: merge explicitly, then it merges and the directive is dropped', () => {
      const result = given(deployment).whenPatched(`metadata: {labels: {$patch: merge, extra: "yes"}}`);
      expect(at(result, 'metadata', 'labels')).toEqual({ app: 'web', tier: 'front', extra: 'yes' });
    });
  });

  describe('$retainKeys', () => {
    it('given a RollingUpdate strategy, when a patch switches to Recreate retaining only type, then rollingUpdate goes', () => {
      const result = given(deployment).whenPatched(`spec: {strategy: {$retainKeys: [type], type: Recreate}}`);
      expect(at(result, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
    });

    it('given a configMap volume, when a patch switches it to a secret retaining name and secret, then configMap goes', () => {
      const result = given(deployment).whenPatched(`
spec: {template: {spec: {volumes: [{name: config, $retainKeys: [name, secret], secret: {secretName: s}}]}}}`);
      expect(at(podSpec(result), 'volumes', 0)).toEqual({ name: 'config', secret: { secretName: 's' } });
    });
  });

  describe('$deleteFromPrimitiveList', () => {
    it('given finalizers [a, b], when a patch deletes a from the primitive list, then only b remains', () => {
      const result = given(deployment).whenPatched(`metadata: {$deleteFromPrimitiveList/finalizers: [a]}`);
      expect(at(result, 'metadata', 'finalizers')).toEqual(['b']);
    });

    it('given finalizers [a, b], when a patch deletes a and adds c, then the list is [c, b]', () => {
      const result = given(deployment).whenPatched(`metadata: {$deleteFromPrimitiveList/finalizers: [a], finalizers: [c]}`);
      expect(at(result, 'metadata', 'finalizers')).toEqual(['c', 'b']);
    });
  });

  describe('$setElementOrder', () => {
    it('given [app, sidecar, metrics], when a patch sets the order [metrics, app, sidecar], then that is the order', () => {
      const result = given(deployment).whenPatched(`
spec: {template: {spec: {$setElementOrder/containers: [{name: metrics}, {name: app}, {name: sidecar}]}}}`);
      expect(names(at(podSpec(result), 'containers'))).toEqual(['metrics', 'app', 'sidecar']);
      expect(podSpec(result)).not.toHaveProperty('$setElementOrder/containers');
    });

    it('given three containers, when the order names two and the patch adds one, then base-only ones slot in by base order', () => {
      const result = given(deployment).whenPatched(`
spec:
  template:
    spec:
      $setElementOrder/containers: [{name: app}, {name: new}, {name: metrics}]
      containers: [{name: new, image: n}]`);
      // apimachinery normalizeElementOrder: sidecar (base index 1) lands between app (0) and metrics (2)
      expect(names(at(podSpec(result), 'containers'))).toEqual(['app', 'new', 'sidecar', 'metrics']);
    });

    it('given finalizers, when a patch sets their order, then the primitive list is reordered', () => {
      const result = given(deployment).whenPatched(`metadata: {$setElementOrder/finalizers: [b, a]}`);
      expect(at(result, 'metadata', 'finalizers')).toEqual(['b', 'a']);
    });
  });
});
