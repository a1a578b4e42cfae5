import { parse, parseAllDocuments } from 'yaml';
import { CommandSeals } from './seal-store';
import { refuseSecretCopies, sealCopies, sealText, tokensIn, unsealText } from './seal-text';

const KEY = 'a-test-key';
const seal = (text: string, inSecret = false) => sealText(KEY, text, inSecret, 'base_config');
const refuse = (text: string, inSecret = false) => refuseSecretCopies(text, inSecret, 'base_config');

/** Texts with secrets in each place the redaction rules know, and the secret strings in them. */
const CASES: Array<{ name: string; text: string; secrets: string[]; inSecret?: boolean }> = [
  {
    name: 'a Secret in block style, data, stringData and a block scalar',
    text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: aHVudGVyMg==\nstringData:\n  username: admin-7f2\n  tls.key: |\n    -----BEGIN KEY-----\n    MIIEkeyline\n    -----END KEY-----\n  note: "quoted-s3cret"\n',
    secrets: ['aHVudGVyMg==', 'admin-7f2', 'MIIEkeyline', 'quoted-s3cret'],
  },
  {
    name: 'a Secret in flow style',
    text: '{apiVersion: v1, kind: Secret, metadata: {name: db}, stringData: {password: flow-s3cret, token: \'tok-9a\'}}\n',
    secrets: ['flow-s3cret', 'tok-9a'],
  },
  {
    name: 'a Deployment with secret env values, one plain, one from an anchor',
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nx-shared: &pw anchored-s3cret\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: r/app:1\n        env:\n        - name: DB_PASSWORD\n          value: env-s3cret\n        - name: LOG_LEVEL\n          value: debug\n        - name: API_KEY\n          value: *pw\n',
    secrets: ['env-s3cret', 'anchored-s3cret'],
  },
  {
    name: 'a ConfigMap with a URL password and a file holding a password',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  DATABASE_URL: postgres://app:url-s3cret@db:5432/app\n  app.yaml: |\n    db:\n      host: db\n      password: file-s3cret\n  LOG_LEVEL: info\n',
    secrets: ['url-s3cret', 'file-s3cret'],
  },
  {
    name: 'a JSON patch on a Secret\'s data and on an env value',
    text: '{"kind": "Secret", "patch": [{"op": "replace", "path": "/data/DB_PASSWORD", "value": "cGF0Y2g="}, {"op": "add", "path": "/metadata/labels/a", "value": "b"}]}',
    secrets: ['cGF0Y2g='],
  },
  {
    name: 'a JSON patch of an env value by index (the entry\'s name is not in the patch)',
    text: '{"kind": "Deployment", "patch": [{"op": "replace", "path": "/spec/template/spec/containers/0/env/0/value", "value": "by-index-s3cret"}, {"op": "replace", "path": "/spec/replicas", "value": 3}]}',
    secrets: ['by-index-s3cret'],
  },
  {
    name: 'names the structure does not know as secret and comments (the redaction patterns find them)',
    text: '# target: app\n# old DB_PASSWORD=comment-s3cret\ndata:\n  dbpwd: pwd-s3cret\n  encryptionkey: enc-s3cret\nenv:\n- name: DBPWD\n  value: envpwd-s3cret\n',
    secrets: ['comment-s3cret', 'pwd-s3cret', 'enc-s3cret', 'envpwd-s3cret'],
  },
  {
    name: 'a pair whose value runs into the next line\'s name (each pattern reads what the ones before it left)',
    text: 'DB_PASSWORD: x api_key:\nCookie: session-41\n',
    secrets: ['session-41'],
  },
  {
    name: 'free text (a description)',
    text: 'rotated the key; new password=desc-s3cret, see https://ops:url2-s3cret@wiki.example/x',
    secrets: ['desc-s3cret', 'url2-s3cret'],
  },
  {
    name: 'a ConfigMap file longer than is parsed inside text, holding a password',
    text: `apiVersion: v1\nkind: ConfigMap\ndata:\n  app.yaml: |\n${'    filler: [1, 2, 3]\n'.repeat(300)}    password: long-s3cret\n`,
    secrets: ['long-s3cret'],
  },
  {
    name: 'a patch of a Secret that does not say so',
    text: 'stringData:\n  password: patched-s3cret\n',
    secrets: ['patched-s3cret'],
    inSecret: true,
  },
  {
    name: 'env entries named like secrets in shapes the API server refuses: a string valueFrom, a map value',
    text: '# target: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - name: SECRET_TOKEN\n          valueFrom: from-s3cret\n        - name: DB_PASSWORD\n          value:\n            inner: map-s3cret\n        - {name: API_KEY, valueFrom: flow-from-s3cret}\n',
    secrets: ['from-s3cret', 'map-s3cret', 'flow-from-s3cret'],
  },
  {
    name: 'flags naming secrets, their values the next argument: a flow list, a block list, a command line in a comment',
    text: 'kind: Deployment\nspec:\n  containers:\n  - name: app\n    args: ["--db-password", "flow-flag-s3cret", "--port", "80"]\n    command:\n    - app\n    - --api-key\n    - block-flag-s3cret\n    - --password-stdin\n    - --verbose\n# run: app --token line-flag-s3cret -v\n',
    secrets: ['flow-flag-s3cret', 'block-flag-s3cret', 'line-flag-s3cret'],
  },
];

describe('sealText', () => {
  it.each(CASES)('keeps every secret of $name out of the text, and gives it back whole', ({ text, secrets, inSecret }) => {
    const sealed = seal(text, inSecret);
    for (const secret of secrets) expect(sealed.text).not.toContain(secret);
    expect(sealed.values.size).toBeGreaterThan(0);
    // Sealed text need not parse (what reads it unseals it first); it must give the original back.
    expect(unsealText(sealed.text, sealed.values)).toBe(text);
  });

  it('keeps block-style configs readable YAML with the same keys where only values are sealed', () => {
    for (const { text, inSecret } of [CASES[0]!, CASES[2]!, CASES[3]!]) {
      const sealed = seal(text, inSecret).text;
      expect(parseAllDocuments(sealed).every((d) => d.errors.length === 0)).toBe(true);
      expect(Object.keys(parse(sealed))).toEqual(Object.keys(parse(text)));
    }
  });

  it('keeps what is not secret as written', () => {
    const sealed = seal(CASES[2]!.text);
    expect(sealed.text).toContain('image: r/app:1');
    expect(sealed.text).toContain('- name: LOG_LEVEL\n          value: debug\n');
    expect(sealed.text).toContain('- name: DB_PASSWORD\n          value: "slipway-sealed:');
  });

  it('leaves text without secrets as it is', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  LOG_LEVEL: info\n';
    expect(seal(text)).toEqual({ text, values: new Map() });
  });

  it('seals the same text the same way with one key, and another way with another key', () => {
    const text = CASES[0]!.text;
    expect(seal(text).text).toBe(seal(text).text);
    expect(sealText('another-key', text, false, 'base_config').text).not.toBe(seal(text).text);
  });

  it('finds tokens the quotes of which a re-serialized document dropped', () => {
    const sealed = seal(CASES[2]!.text);
    const [token] = tokensIn(sealed.text);
    const requoted = sealed.text.replace(`"${token}"`, token!);
    expect(tokensIn(requoted)).toEqual(tokensIn(sealed.text));
    expect(unsealText(requoted, sealed.values)).toBe(CASES[2]!.text);
  });

  it('refuses text that holds a token (it would be replaced by another\'s secret), naming the field', () => {
    const stolen = seal(CASES[0]!.text).text;
    expect(() => seal(`data:\n  copy: ${tokensIn(stolen)[0]}\n`)).toThrow(expect.objectContaining({ code: 'invalid', field: 'base_config', message: expect.stringContaining('slipway-sealed:') }));
  });

  it('refuses an alias that copies a secret value to a place where it is not kept secret, naming it and its line', () => {
    const copied = 'kind: Deployment\nspec:\n  env:\n  - name: DB_PASSWORD\n    value: &pw alias-s3cret\n  annotations:\n    note: *pw\n';
    expect(() => refuse(copied)).toThrow(expect.objectContaining({ code: 'invalid', field: 'base_config', message: expect.stringMatching(/^base_config: the alias \*pw \(line 7\) copies a secret value/) }));
    // so is one of a map that holds a secret (a ConfigMap's secret-named key), as a patch may send it
    expect(() => refuse('kind: ConfigMap\ndata: {password: &a AnchorPw01, plain: *a}\n')).toThrow(/the alias \*a \(line 2\)/);
    expect(() => refuse('kind: ConfigMap\ncreds: &c {password: MapPw01}\ndata:\n  copy: *c\n')).toThrow(/the alias \*c \(line 4\)/);
    // and the refusal does not quote the secret
    expect(() => refuse(copied)).toThrow(expect.not.objectContaining({ message: expect.stringContaining('alias-s3cret') }));
    // where the text lies in what was sent: what leads the message, and its first line
    expect(() => refuseSecretCopies(copied, false, 'base_config', { where: 'base_config: document 2 (line 9)', line: 9 }))
      .toThrow(expect.objectContaining({ field: 'base_config', message: expect.stringMatching(/^base_config: document 2 \(line 9\): the alias \*pw \(line 15\) copies/) }));
  });

  it('refuses an alias that copies the value of a flag naming a secret, and keeps one of a value that is no secret\'s', () => {
    expect(() => refuse('kind: Deployment\nargs: [--token, &t flag-s3cret]\nmetadata:\n  annotations: {note: *t}\n')).toThrow(/the alias \*t \(line 4\)/);
    expect(() => refuse('kind: Deployment\nargs:\n- --token\n- &t flag-s3cret\nlabels:\n  copy: *t\n')).toThrow(/the alias \*t \(line 6\)/);
    expect(() => refuse('kind: Deployment\nargs: [--port, &p "8080"]\nlabels: {port: *p}\n')).not.toThrow();
  });

  it('seals text stored before (sealed again with a change) whatever its aliases; one full of anchors and no alias as any text', () => {
    const stored = 'kind: Deployment\nspec:\n  env:\n  - name: DB_PASSWORD\n    value: &pw stored-s3cret\n  annotations:\n    note: *pw\n';
    const again = sealText(KEY, stored, false, 'object');
    expect(again.text).not.toContain('stored-s3cret');
    expect(unsealText(again.text, again.values)).toBe(stored);
    // a text full of anchors and no alias: one regex spanning both took seconds for 300 KB
    const anchors = `kind: ConfigMap\ndata:\n  DB_PASSWORD: hunter2-secret\n  note: "${'&a '.repeat(100_000)}"\n`;
    expect(() => refuse(anchors)).not.toThrow();
    expect(seal(anchors).text).toContain('&a &a');
  });

  it('keeps aliases of values that are not secret, and of secret ones where a secret goes', () => {
    const plain = 'kind: ConfigMap\nmetadata:\n  labels: &l {team: a}\ndata:\n  copy: *l\n';
    expect(() => refuse(plain)).not.toThrow();
    expect(seal(plain).text).toBe(plain);
    // an anchor in a plain place whose alias is secret is sealed where it is (CASES[2])
    expect(() => refuse(CASES[2]!.text)).not.toThrow();
    const anchoredPlain = seal(CASES[2]!.text);
    expect(anchoredPlain.text).not.toContain('anchored-s3cret');
    expect(unsealText(anchoredPlain.text, anchoredPlain.values)).toBe(CASES[2]!.text);
    // an anchor named again: the alias names the later, plain one
    const renamed = 'kind: Deployment\nspec:\n  env:\n  - name: DB_PASSWORD\n    value: &v renamed-s3cret\n  - name: MODE\n    value: &v fast\n  annotations:\n    mode: *v\n';
    expect(() => refuse(renamed)).not.toThrow();
    expect(unsealText(seal(renamed).text, seal(renamed).values)).toBe(renamed);
  });

  it('seals in a note the copies of values the command sealed before it, as the values they are, and gives the note back whole', () => {
    const seals = new CommandSeals(KEY, 'sealed_values');
    const patch = seals.seal('kind: Secret\nstringData:\n  password: PatchSecretZZ9876\n', true, 'patch');
    expect(patch).not.toContain('PatchSecretZZ9876');
    seals.seal('kind: ConfigMap\ndata:\n  DATABASE_URL: postgres://app:UrlPw5511@db/app\n', false, 'patch');
    const note = 'rotate pw to PatchSecretZZ9876 (was PatchSecretZZ9876-old) and postgres://u:DescPw4242@db:5432/x; UrlPw5511 too';
    const sealed = seals.sealNote(note, 'description');
    expect(sealed).not.toMatch(/PatchSecretZZ9876|DescPw4242|UrlPw5511/);
    // each copy is the patch's own token, and the note's own URL password keeps its token
    const [patchToken] = tokensIn(patch);
    expect(tokensIn(sealed).filter((t) => t === patchToken)).toHaveLength(2);
    expect(tokensIn(sealed)).toHaveLength(4);
    expect(new Set(tokensIn(sealed)).size).toBe(3);
    // and the note comes back whole from its tokens
    const copies = sealCopies(KEY, sealText(KEY, note, false, 'description'), ['PatchSecretZZ9876', 'UrlPw5511', 'abc']);
    expect(copies.text).toBe(sealed);
    expect(unsealText(copies.text, copies.values)).toBe(note);
    // a note with no copy is sealed as any text is
    expect(new CommandSeals(KEY, 'sealed_values').sealNote('nothing secret here', 'description')).toBe('nothing secret here');
  });

  it('says which token a store lacks, without any secret', () => {
    const sealed = seal(CASES[0]!.text);
    expect(() => unsealText(sealed.text, new Map())).toThrow(/sealed value slipway-sealed:[\w-]+ is missing/);
  });
});

describe('sealing strings nested in config text, whatever their size', () => {
  // A ConfigMap's file past 4 KiB whose password sits behind an escaped key: only the
  // structure of the file tells it is a password (the patterns read `pass\x77ord`).
  const configMap = (settings: number) => {
    const padding = Array.from({ length: settings }, (_, i) => `setting_${i}: value-${i}`).join('\n');
    const file = `"pass\\x77ord": escaped-key-s3cret\n${padding}\n`;
    return { file, text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  app.yaml: ${JSON.stringify(file)}\n` };
  };

  it('keeps out of the log a password only the structure of a long nested file tells (it was recorded in the clear past 4 KiB)', () => {
    const { file, text } = configMap(200);
    expect(file.length).toBeGreaterThan(4 * 1024);
    const sealed = seal(text);
    expect(sealed.text).not.toContain('escaped-key-s3cret');
    expect(unsealText(sealed.text, sealed.values)).toBe(text);
  });

  it('seals a command\'s texts alike however many it has (no per-command budget left them by the patterns)', () => {
    const { file, text } = configMap(100);
    expect(file.length).toBeLessThan(4 * 1024);
    const seals = new CommandSeals(KEY, 'unused');
    const texts = Array.from({ length: 40 }, () => seals.seal(text, false, 'base_config'));
    for (const t of texts) expect(t).not.toContain('escaped-key-s3cret');
  });
});
