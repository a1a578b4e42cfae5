import { parseCheckedYaml } from '@slipway/contracts';
import { parseBaseConfigs } from './parse-base-configs';
import { parsePatches } from './parse-patches';
import { YAML_LIMITS } from './limits';

const invalid = (message: string) => expect.objectContaining({ code: 'invalid', message: expect.stringContaining(message) });

describe('base config parser', () => {
  it('reads !!binary as Kubernetes does (its text decoded), not as bytes that reach JSON as a Buffer', () => {
    const [document] = parseBaseConfigs('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bin\ndata:\n  greeting: !!binary aGk=\n');
    expect(document!.config).toContain('greeting: hi');
    expect(() => parseBaseConfigs('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bin\ndata:\n  raw: !!binary //79\n')).toThrow(/!!binary holds bytes that are no UTF-8 text/);
  });

  it('reads YAML as Kubernetes does: a leading-zero integer is octal; merge keys are refused, naming the document', () => {
    const [doc] = parseBaseConfigs([
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  labels: &labels {app: web}', 'spec:',
      '  template:', '    metadata:', '      labels: {app: web, tier: front}', '    spec:',
      '      volumes: [{name: keys, secret: {secretName: keys, defaultMode: 0400}}, {name: conf, configMap: {name: conf, defaultMode: "0644"}}]', '',
    ].join('\n'));
    const object = parseCheckedYaml(doc!.config) as { spec: { template: { metadata: { labels: unknown }; spec: { volumes: Array<Record<string, { defaultMode: unknown }>> } } } };
    // 0400 is owner-read (256), not 400 (0620); a quoted one stays the string it is
    expect(object.spec.template.spec.volumes.map((v) => (v.secret ?? v.configMap)!.defaultMode)).toEqual([256, '0644']);
    expect(object.spec.template.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(() => parseBaseConfigs('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: &l {x: y}}\ndata: {<<: *l, z: w}\n'))
      .toThrow(invalid('base_config: document 1 (line 1): merge keys (<<) are not read here: write the merged keys out'));
  });

  it('refuses malformed YAML without quoting what it holds, which may be a secret (review)', () => {
    const refusal = (text: string) => {
      try {
        parseBaseConfigs(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  ${text}\n`);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    const header = refusal('password: >Zx9!kq#tail');
    expect(header).toBe('base_config: document 1 (line 6, column 14): malformed YAML: Block scalar header includes extra characters (the text is not shown: it may hold a secret)');
    const escape = refusal('password: "pa\\Ss8w0rd\\U12345678"');
    expect(escape).toMatch(/malformed YAML: Invalid escape sequence \\S$/);
    for (const message of [header, escape]) expect(message).not.toMatch(/Zx9|s8w0|1234/);
  });

  it('refuses a document on its --- line, naming the line, instead of dropping it', () => {
    expect(() => parseBaseConfigs('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n--- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n'))
      .toThrow(invalid('base_config: line 4 holds a document on its "---" separator: start the document on the next line'));
    expect(parseBaseConfigs('--- # a comment\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n').map((d) => d.objectName)).toEqual(['a']);
  });

  it('splits documents on --- and names objects by metadata.name', () => {
    const docs = parseBaseConfigs('---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# only a comment\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n');
    expect(docs.map((d) => [d.objectName, d.kind, d.apiVersion])).toEqual([['a', 'ConfigMap', 'v1'], ['b', 'Service', 'v1']]);
  });

  it('refuses documents without kind, apiVersion or name, and duplicate names, saying where', () => {
    expect(() => parseBaseConfigs('apiVersion: v1\nmetadata:\n  name: a\n')).toThrow(invalid('document 1 (line 1) has no "kind"'));
    expect(() => parseBaseConfigs('apiVersion: v1\nkind: X\n')).toThrow(invalid('metadata.name'));
    expect(() => parseBaseConfigs('apiVersion: v1\nkind: X\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Y\nmetadata:\n  name: a\n'))
      .toThrow(invalid('document 2 (line 6): object "a" already defined by document 1'));
  });

  it('refuses a name the API server would refuse for a built-in kind, saying which rule', () => {
    const doc = (apiVersion: string, kind: string, name: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
    expect(() => parseBaseConfigs(doc('v1', 'ConfigMap', 'UPPER_bad'))).toThrow(invalid('document 1 (line 1): metadata.name "UPPER_bad" is not a valid ConfigMap name: Kubernetes requires a DNS-1123 subdomain'));
    expect(() => parseBaseConfigs(doc('apps/v1', 'Deployment', 'Web'))).toThrow(invalid('"Web" is not a valid Deployment name'));
    expect(() => parseBaseConfigs(doc('v1', 'Service', '9lives'))).toThrow(invalid('"9lives" is not a valid Service name: Kubernetes requires a DNS-1035 label'));
    expect(() => parseBaseConfigs(doc('v1', 'Service', 'a.b'))).toThrow(invalid('not a valid Service name'));
    expect(() => parseBaseConfigs(doc('v1', 'Namespace', 'team.one'))).toThrow(invalid('not a valid Namespace name: Kubernetes requires a DNS-1123 label'));
    expect(() => parseBaseConfigs(doc('batch/v1', 'CronJob', 'c'.repeat(53)))).toThrow(invalid('at most 52 characters'));
    expect(() => parseBaseConfigs(doc('networking.k8s.io/v1', 'Ingress', 'Front'))).toThrow(invalid('not a valid Ingress name'));
    // what the API server accepts passes: dotted subdomains, 52-character CronJobs, and kinds
    // whose names are freer (RBAC) or whose rules are their own (custom resources)
    const accepted = [
      doc('apps/v1', 'Deployment', 'web.v2'), doc('batch/v1', 'CronJob', 'c'.repeat(52)), doc('v1', 'Service', 'api-server'),
      doc('rbac.authorization.k8s.io/v1', 'ClusterRole', 'System_Reader'), doc('monitoring.coreos.com/v1', 'Deployment', 'Custom_Thing'),
    ];
    expect(parseBaseConfigs(accepted.join('---\n')).map((d) => d.objectName)).toEqual(['web.v2', 'c'.repeat(52), 'api-server', 'System_Reader', 'Custom_Thing']);
  });

  it('refuses an integer field the API server cannot store as given, naming the document and the field', () => {
    const workload = (replicas: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n`;
    expect(() => parseBaseConfigs(workload('4294967296'))).toThrow(invalid('document 1 (line 1): spec.replicas must be an integer from 0 to 2147483647, got 4294967296'));
    expect(() => parseBaseConfigs(workload('"three"'))).toThrow(invalid('spec.replicas must be an integer'));
    expect(parseBaseConfigs(workload('3')).map((d) => d.objectName)).toEqual(['web']);
  });

  it('refuses pod spec fields of another type than the API server\'s (a node selector\'s number, tolerations as a mapping, volumes as text), naming them', () => {
    const workload = (podSpec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${podSpec}`;
    expect(() => parseBaseConfigs(workload('      nodeSelector: {disk: 1}\n'))).toThrow(invalid('document 1 (line 1): spec.template.spec.nodeSelector.disk must be a string, got a number'));
    expect(() => parseBaseConfigs(workload('      tolerations: {key: a}\n'))).toThrow(invalid('spec.template.spec.tolerations must be a list, got a mapping'));
    expect(() => parseBaseConfigs(workload('      volumes: none\n'))).toThrow(invalid('spec.template.spec.volumes must be a list, got a string'));
    expect(parseBaseConfigs(workload('      nodeSelector: {disk: ssd}\n      tolerations: [{key: a, operator: Exists}]\n      volumes: [{name: d, emptyDir: {}}]\n')).map((d) => d.objectName)).toEqual(['web']);
  });

  it('refuses a boolean field written as YAML 1.1 writes one (kubectl reads hostNetwork: yes as true), naming the document and the field', () => {
    const workload = (hostNetwork: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      hostNetwork: ${hostNetwork}\n`;
    expect(() => parseBaseConfigs(workload('yes'))).toThrow(invalid('document 1 (line 1): spec.template.spec.hostNetwork must be true or false, got "yes" (kubectl\'s YAML 1.1 reads yes as a boolean'));
    expect(parseBaseConfigs(workload('true')).map((d) => d.objectName)).toEqual(['web']);
  });

  it('refuses a built-in object the API server could not store by its shape, naming the document and the field', () => {
    expect(() => parseBaseConfigs('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: [a, b]\n')).toThrow(invalid('document 1 (line 1): data must be a mapping of strings, got a list'));
    expect(() => parseBaseConfigs('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec: null\n')).toThrow(invalid('spec must be a mapping, got null'));
    expect(() => parseBaseConfigs('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  when: !!timestamp 2026-12-07\n')).toThrow(invalid('data.when must be a string, got a timestamp (!!timestamp: write it as text)'));
    expect(() => parseBaseConfigs('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nx: 1\n')).toThrow(invalid('unknown field "x" for a ConfigMap'));
  });

  it('refuses malformed YAML with its line', () => {
    expect(() => parseBaseConfigs('apiVersion: v1\nkind: X\nmetadata:\n  name: a\n---\nkind: [\n')).toThrow(invalid('document 2 (line 7, column 1): malformed YAML'));
  });

  it('names the archive file of a document in errors, with the line in that file (`--- # file:` separators)', () => {
    const text = `--- # file: configs/a.yaml\n${'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n'}--- # file: configs/b.yaml\n---\napiVersion: v1\nmetadata:\n  name: b\n`;
    expect(() => parseBaseConfigs(text)).toThrow(invalid('base_config: document 2 (configs/b.yaml, line 2) has no "kind"'));
    const broken = `--- # file: a.yaml\napiVersion: v1\nkind: X\nmetadata:\n  name: a\n--- # file: sub/b.yml\n\nkind: [\n`;
    expect(() => parseBaseConfigs(broken)).toThrow(invalid('document 2 (sub/b.yml, line 3, column 1): malformed YAML'));
    expect(() => parsePatches('--- # file: p/one.yaml\nspec: {}\n')).toThrow(invalid('patch: patch 1 (p/one.yaml, line 1) has no target'));
  });

  it('refuses an alias that copies a secret value to where it is not kept secret, naming the document, the alias and its line, never the value (probe)', () => {
    const refusal = (text: string) => {
      try {
        parseBaseConfigs(text);
      } catch (error) {
        expect(error).toMatchObject({ code: 'invalid', field: 'base_config' });
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    // a secret-named key of a ConfigMap into a plain one: `other` was stored, shown to readers and applied in the clear
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: al2\ndata:\n  db_password: &p s3cr3t-probe-alias11\n  other: *p\n';
    expect(refusal(configMap)).toBe('base_config: document 1 (line 1): the alias *p (line 7) copies a secret value to a place where it is not kept secret: write there what is not secret, or use the alias only where a secret goes');
    // a Secret's value into its labels or annotations (the label went to the cluster); lines count in the whole upload
    const plain = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n---\n';
    const secret = (place: string) => `${plain}apiVersion: v1\nkind: Secret\nstringData:\n  password: &p s3cr3t-in-secret\nmetadata:\n  name: db\n  ${place}:\n    copy: *p\n`;
    expect(refusal(secret('labels'))).toMatch(/^base_config: document 2 \(line 6\): the alias \*p \(line 13\) copies a secret value/);
    expect(refusal(secret('annotations'))).toMatch(/^base_config: document 2 \(line 6\): the alias \*p \(line 13\) copies a secret value/);
    // an env entry's secret into a plain entry's value, and into args
    const deployment = (rest: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: web:1\n        env:\n        - name: DB_PASSWORD\n          value: &pw s3cr3t-env\n${rest}`;
    expect(refusal(deployment('        - name: GREETING\n          value: *pw\n'))).toContain('the alias *pw (line 15) copies a secret value');
    expect(refusal(deployment('        args: ["--verbose", *pw]\n'))).toContain('the alias *pw (line 14) copies a secret value');
    // in an archive, the file and the line in it
    expect(refusal(`--- # file: app/plain.yaml\n${plain}--- # file: app/cm.yaml\n${configMap}`)).toMatch(/^base_config: document 2 \(app\/cm\.yaml, line 1\): the alias \*p \(line 7\) copies/);
    for (const text of [configMap, secret('labels'), deployment('        args: [*pw]\n')]) expect(refusal(text)).not.toContain('s3cr3t');
  });

  it('keeps aliases of values that are not secret, and of secret ones where a secret goes', () => {
    const kept = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {team: &t a}\ndata:\n  db_password: &p s3cr3t-a\n  other_password: *p\n  team: *t\n',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: b\nstringData:\n  password: &p s3cr3t-b\n  again: *p\n',
    ];
    for (const text of kept) expect(parseBaseConfigs(text)).toHaveLength(1);
  });

  it('refuses alias bombs, too many documents and oversized documents', () => {
    const lol = ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...Array.from({ length: 9 }, (_, i) => `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(',')}]`)].join('\n');
    expect(() => parseBaseConfigs(lol)).toThrow(invalid('malformed YAML'));
    const many = Array.from({ length: YAML_LIMITS.maxDocuments + 1 }, (_, i) => `apiVersion: v1\nkind: X\nmetadata:\n  name: o${i}`).join('\n---\n');
    expect(() => parseBaseConfigs(many)).toThrow(invalid(`more than ${YAML_LIMITS.maxDocuments} documents`));
    expect(() => parseBaseConfigs(`a: "${'x'.repeat(YAML_LIMITS.maxDocumentBytes)}"`)).toThrow(invalid('larger than'));
  });

  it('refuses aliases that expand a document past twice its text (probe: 50 aliases of a 1 MiB string made a 3 MB upload a 150 MB event), and keeps anchors as configs use them', () => {
    const configMap = (value: string, aliases: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  base: &b "${value}"\n${Array.from({ length: aliases }, (_, k) => `  c${k}: *b\n`).join('')}`;
    expect(() => parseBaseConfigs(configMap('w'.repeat(100_000), 50))).toThrow(invalid('document 1 (line 1): its aliases expand it past'));
    expect(() => parseBaseConfigs(configMap('w'.repeat(100_000), 2))).toThrow(invalid('its aliases expand it past'));
    expect(parseBaseConfigs(configMap('w'.repeat(100_000), 1))).toHaveLength(1);
    // an env block shared by a few containers, as anchors are used
    const env = Array.from({ length: 20 }, (_, i) => `      - {name: VAR_${i}, value: "value-${i}"}`).join('\n');
    const shared = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        env: &env\n${env.replace(/^ {6}/gm, '        ')}\n${Array.from({ length: 4 }, (_, i) => `      - name: c${i}\n        env: *env\n`).join('')}`;
    expect(parseBaseConfigs(shared)).toHaveLength(1);
  });
});

describe('patch parser', () => {
  it('reads the # target line and keeps the body without it', () => {
    expect(parsePatches('# target: deployment-x\napiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n')).toEqual([
      { target: 'deployment-x', format: 'YAML', kind: 'Deployment', patch: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2' },
    ]);
  });

  it('refuses two # target lines before a body, naming both, rather than reading the second as a comment (probe)', () => {
    expect(() => parsePatches('# target: hot-configs\n# a note\n# target: db-creds\ndata: {a: b}\n')).toThrow(
      invalid('patch: patch 1 (line 1) has 2 "# target:" lines ("hot-configs", "db-creds"): a patch has one target; give each its own document, after a "---" line'),
    );
    // nor one after the body, not indented: the next patch, its "---" left out (probe)
    expect(() => parsePatches('# target: db\ndata:\n  k2: YQ==\n# target: web\nspec: {}\n')).toThrow(invalid('has 2 "# target:" lines ("db", "web")'));
    // one indented in the body is a comment like any other
    expect(parsePatches('# target: hot-configs\ndata:\n  # target: not-this\n  a: b\n')).toMatchObject([{ target: 'hot-configs' }]);
  });

  it('refuses an alias that copies a secret value to where it is not kept secret, naming the patch, the alias and its line in the body', () => {
    const aliased = '# target: app-settings\nkind: ConfigMap\ndata:\n  DB_PASSWORD: &pw aliased-pw-8d1e\n  NOTE: *pw\n';
    expect(() => parsePatches(aliased)).toThrow(expect.objectContaining({
      code: 'invalid', field: 'patch',
      message: 'patch: patch 1 (line 1): the alias *pw (line 4) copies a secret value to a place where it is not kept secret: write there what is not secret, or use the alias only where a secret goes',
    }));
    // a patch naming no kind may reach a ConfigMap, where the copy shows in the clear (probe: `plain` was shown to readers)
    expect(() => parsePatches('# target: leak-cm\ndata:\n  api_token: &t "Hunter2Secret42"\n  plain: *t\n')).toThrow(/the alias \*t \(line 3\) copies a secret value/);
    // one naming its kind Secret copies within it
    expect(parsePatches('# target: db\nkind: Secret\nstringData:\n  password: &p pw-kept\n  again: *p\n')).toHaveLength(1);
  });

  it('reads the document\'s JSON patch format, with the target in the JSON or on the line', () => {
    const json = '{"comment":"c","kind":"NetworkPolicy","target":"np","patch":[{"op":"add","path":"/spec/egress/1/ports/-","value":{"port":9999}}]}';
    expect(parsePatches(json)).toMatchObject([{ target: 'np', format: 'JSON', kind: 'NetworkPolicy' }]);
    expect(parsePatches(`# target: np\n${json.replace('"target":"np",', '')}`)).toMatchObject([{ target: 'np', format: 'JSON' }]);
    expect(() => parsePatches(`# target: other\n${json}`)).toThrow(invalid('disagrees'));
  });

  it('takes several patches separated by ---, each with its own target', () => {
    expect(parsePatches('# target: a\ndata: {x: "1"}\n---\n# target: b\ndata: {y: "2"}\n').map((p) => p.target)).toEqual(['a', 'b']);
  });

  it('refuses a patch without a target, a JSON patch without kind or with malformed operations', () => {
    expect(() => parsePatches('spec:\n  replicas: 2\n')).toThrow(invalid('has no target'));
    expect(() => parsePatches('# target: a\n{"patch":[]}')).toThrow(invalid('needs "kind"'));
    expect(() => parsePatches('# target: a\n{"kind":"X","patch":[{"value":1}]}')).toThrow(invalid('operation 0 needs "op" and "path"'));
    expect(() => parsePatches('{"kind":"X","target":"a","patch":"replace"}')).toThrow(invalid('"patch" must be a list of RFC 6902 operations'));
    expect(() => parsePatches('# target: ../etc\nspec: {}\n')).toThrow(invalid('target "../etc"'));
  });

  it.each(['_get', 'merge', 'Add'])('refuses a JSON patch operation whose op is %s, none of RFC 6902\'s, before anything is stored (its target may have no base to apply it to)', (op) => {
    const json = `{"kind":"Deployment","target":"web","patch":[{"op":"add","path":"/a","value":1},{"op":"${op}","path":"/metadata/name"}]}`;
    expect(() => parsePatches(json)).toThrow(expect.objectContaining({
      code: 'invalid', field: 'patch.patch.1',
      message: `patch: patch 1 (line 1): operation 1 has op "${op}", not one of RFC 6902's (add, remove, replace, move, copy, test)`,
    }));
  });
});

describe('values Postgres cannot store, and nesting (YAML escapes make them from plain text)', () => {
  const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata: ${data}\n`;
  const refused = (message: string, field: string) => expect.objectContaining({ code: 'invalid', message, field });
  const NUL = 'must not contain a NUL character (\\u0000)';
  const SURROGATE = 'must not contain an unpaired UTF-16 surrogate (\\ud800, not a character)';
  const nested = (levels: number) => `${'{"a":'.repeat(levels)}"x"${'}'.repeat(levels)}`;

  it.each([
    ['"\\0"', '{a: "x\\0"}', NUL],
    ['"\\x00"', '{a: "x\\x00y"}', NUL],
    ['"\\u0000"', '{a: "\\u0000"}', NUL],
    ['"\\ud800"', '{a: "x\\ud800"}', SURROGATE],
  ])('refuses a base config whose %s escape makes one, naming the field, the document and the path', (_escape, data, what) => {
    const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n---\n';
    expect(() => parseBaseConfigs(other + configMap(data))).toThrow(refused(`base_config: document 2 (line 6): data.a: ${what}`, 'base_config'));
  });

  it('refuses a set or an ordered map (!!set, !!omap), which JSON would write as {} (labels: !!set {a, b} were stored so, and pushed as labels "0" and "1"), and a patch holding one', () => {
    const LOST = 'is a YAML set (!!set) or ordered map (!!omap), which JSON cannot hold: write it as a map or a list';
    expect(() => parseBaseConfigs('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels: !!set {a, b}\n')).toThrow(refused(`base_config: document 1 (line 1): metadata.labels: ${LOST}`, 'base_config'));
    expect(() => parseBaseConfigs(configMap('!!omap [{a: x}]'))).toThrow(refused(`base_config: document 1 (line 1): data: ${LOST}`, 'base_config'));
    expect(() => parsePatches('# target: cfg2\ndata: !!set {zz}\n')).toThrow(refused(`patch: patch 1 (line 1): data: ${LOST}`, 'patch'));
  });

  it('refuses one in a key, spelled with its escape; a whole surrogate pair is a character and passes', () => {
    expect(() => parseBaseConfigs(configMap('{"k\\0": v}'))).toThrow(refused(`base_config: document 1 (line 1): data.k\\u0000: ${NUL}`, 'base_config'));
    expect(parseBaseConfigs(configMap('{a: "rocket \\ud83d\\ude80"}')).map((d) => d.objectName)).toEqual(['cm']);
  });

  it.each([
    ['"\\0"', '{a: "x\\0"}', NUL],
    ['"\\x00"', '{a: "\\x00"}', NUL],
    ['"\\ud800"', '{a: "x\\ud800"}', SURROGATE],
  ])('refuses a YAML patch whose %s escape makes one, naming the field and the path', (_escape, data, what) => {
    expect(() => parsePatches(`# target: cfg2\ndata: ${data}\n`)).toThrow(refused(`patch: patch 1 (line 1): data.a: ${what}`, 'patch'));
  });

  it.each([
    ['\\u0000', NUL],
    ['\\ud800', SURROGATE],
  ])('refuses a JSON patch whose value holds %s, naming the operation', (escape, what) => {
    const json = `{"kind":"ConfigMap","target":"cfg2","patch":[{"op":"add","path":"/data/a","value":"x${escape}"}]}`;
    expect(() => parsePatches(json)).toThrow(refused(`patch: patch 1 (line 1): patch.0.value: ${what}`, 'patch'));
  });

  it('refuses a document nested 1,000 levels as too deep, not with a stack overflow', () => {
    const message = `base_config: document 1 (line 1) is nested deeper than ${YAML_LIMITS.maxDepth} levels`;
    expect(() => parseBaseConfigs(configMap(nested(1_000)))).toThrow(refused(message, 'base_config'));
    expect(() => parsePatches(`# target: web\nspec: ${nested(1_000)}\n`)).toThrow(refused(`patch: patch 1 (line 1) is nested deeper than ${YAML_LIMITS.maxDepth} levels`, 'patch'));
  });

  it('refuses YAML too deep for the parser itself (10,000 "[") with the same message, no JavaScript error text', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(() => parseBaseConfigs(configMap(deep))).toThrow(refused(`base_config: document 1 (line 1) is nested deeper than ${YAML_LIMITS.maxDepth} levels`, 'base_config'));
    expect(() => parsePatches(`# target: web\nspec: ${deep}\n`)).toThrow(refused(`patch: patch 1 (line 1) is nested deeper than ${YAML_LIMITS.maxDepth} levels`, 'patch'));
  });

  it(`takes a document nested exactly ${YAML_LIMITS.maxDepth} levels, and refuses one level more`, () => {
    // the document's own mapping is the first level, the one `spec` holds the second (a
    // custom resource: a ConfigMap's data could not nest at all)
    const widget = (spec: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: cm\nspec: ${spec}\n`;
    expect(parseBaseConfigs(widget(nested(YAML_LIMITS.maxDepth - 1))).map((d) => d.objectName)).toEqual(['cm']);
    expect(() => parseBaseConfigs(widget(nested(YAML_LIMITS.maxDepth)))).toThrow(refused(expect.stringContaining('is nested deeper than'), 'base_config'));
  });

  it('refuses an alias inside the node it stands for (a value holding itself), in a base config or a patch, naming it and its line', () => {
    expect(() => parsePatches('# target: web\nspec: &a {x: *a}\n')).toThrow(refused(expect.stringMatching(/\(line \d+, column \d+\): malformed YAML: alias \*a stands for a node that contains it$/), 'patch'));
    expect(() => parsePatches('# target: web\nspec: &a [*a]\n')).toThrow(refused(expect.stringContaining('alias *a stands for a node that contains it'), 'patch'));
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: &d\n  self: *d\n';
    expect(() => parseBaseConfigs(text)).toThrow(refused(expect.stringContaining('alias *d stands for a node that contains it'), 'base_config'));
  });

  it('says the position of malformed YAML once, as a line of the whole text and a column', () => {
    const text = 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n---\nmetadata:\n  name: b\n  name: c\n';
    expect(() => parseBaseConfigs(text)).toThrow(refused('base_config: document 2 (line 8, column 3): malformed YAML: the key "name" appears twice in one map (metadata.name)', 'base_config'));
  });
});
