import { parseAllDocuments } from 'yaml';
import { redactPatchText, redactSecretText, redactWholeText, sealedSpans, secretSpans } from './redact-text';
import { secretStringsOf } from './secret-strings';
import { patternSpans, redactSecretShapes, redactTextPatterns } from './text-patterns';
import { redactSecrets } from './redact-value';

describe('redactSecretText', () => {
  it.each([
    ['a webhook URL', 'SLACK_WEBHOOK_URL', 'https://hooks.example/T0/B0/xyz'],
    ['a DSN', 'SENTRY_DSN', 'https://key@sentry.example/1'],
    ['a short password name', 'DB_PWD', 'hunter2-pwd'],
    ['a signing key', 'SIGNING_KEY', 'sk-signing-41'],
    ['an access key', 'AWS_ACCESS_KEY', 'AKIAEXAMPLE41'],
    ['a passphrase', 'gpg_passphrase', 'correct-horse-41'],
  ])('redacts %s in block YAML, named as settings are', (_, name, value) => {
    const text = `# target: api\ndata:\n  ${name}: ${value}\n  LOG_LEVEL: debug\n`;
    const redacted = redactSecretText(text);
    expect(redacted).not.toContain(value);
    expect(redacted).toContain(`${name}: [redacted]`);
    expect(redacted).toContain('LOG_LEVEL: debug');
  });

  // The log seals what the structure finds (secret-positions.ts); a reader of block YAML,
  // which the patterns read, must see the same values hidden.
  it.each(['tls.key', 'licenseKey', 'client.key', 'LICENSE_KEY', 'SMTP_PASS', 'ldapBindPw', 'signingkey', 'monkey', 'keys', 'passenger', 'LOG_LEVEL'])(
    'hides the value of %s in block YAML exactly when the structure hides it', (name) => {
      const value = 'value-41';
      const structured = redactSecrets({ data: { [name]: value } }) as { data: Record<string, string> };
      const secret = structured.data[name] !== value;
      const inline = redactSecretText(`data:\n  ${name}: ${value}\n  other: visible\n`);
      const block = redactSecretText(`data:\n  ${name}: |\n    ${value}\n  other: visible\n`);
      expect({ inline: !inline.includes(value), block: !block.includes(value) }).toEqual({ inline: secret, block: secret });
      expect(inline).toContain('other: visible');
      expect(block).toContain('other: visible');
    });

  it('redacts a secret block inside a block under a name that only looks like one, and a value on the line after its name', () => {
    const nested = 'data:\n  keycloak.yaml: |\n    client_secret: |\n      nested-41\n    realm: open-41\n  other: visible\n';
    const redacted = redactSecretText(nested);
    expect(redacted).not.toContain('nested-41');
    expect(redacted).toContain('realm: open-41');
    expect(redacted).toContain('other: visible');
    const nextLine = redactSecretText('password:\n  correct horse battery staple\nnext: ok\n');
    expect(nextLine).not.toMatch(/correct|horse|battery|staple/);
    expect(nextLine).toContain('next: ok');
  });

  it.each([
    ['a value on the lines below its name', 'password:\n  correct horse-41\n  battery staple-41\nnext: ok\n'],
    ['a list under a secret name', 'passwords:\n  - hunter2-41\n  - correct-41\nnext: ok\n'],
    ['a block in a list under a secret name', 'passwords:\n  - |\n    s3cret-41\nnext: ok\n'],
    ['a tagged block', 'tls.key: !!binary |\n  QUJD-41\nnext: ok\n'],
    ['a broad name with its value below', 'licenseKey:\n  ABCD-41\nnext: ok\n'],
    ['an env entry whose value is a block', 'env:\n- name: DB_PASSWORD\n  value: |\n    hunter2-41\n- name: LOG\n  value: debug\nnext: ok\n'],
  ])('hides %s, and what follows it not', (_, text) => {
    const redacted = redactSecretText(text);
    expect(redacted).not.toContain('-41');
    expect(redacted).toContain('next: ok');
  });

  it('leaves the line after an empty secret value', () => {
    expect(redactSecretText('DB_PASSWORD=\nLOG_LEVEL=debug\n')).toBe('DB_PASSWORD=\nLOG_LEVEL=debug\n');
  });

  it('finds the same parts to seal as it hides (a bearer token, a key after a secret name)', () => {
    for (const text of ['# curl -H "Authorization: Bearer tok-41" https://x', 'PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\nMIIbody-41\n-----END RSA PRIVATE KEY-----"']) {
      const spans = patternSpans(text);
      let sealed = '';
      let at = 0;
      for (const { start, end } of spans) { sealed += `${text.slice(at, start)}#`; at = end; }
      sealed += text.slice(at);
      expect(sealed).not.toContain('-41');
      expect(redactTextPatterns(text)).not.toContain('-41');
    }
  });

  it('redacts a PEM private key and a chat webhook URL under any name, keeping the text readable YAML', () => {
    const text = 'data:\n  pem: |\n    -----BEGIN EC PRIVATE KEY-----\n    MHcCAQEEIkey41\n    -----END EC PRIVATE KEY-----\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIICcert41\n    -----END CERTIFICATE-----\n'
      + '  notify: https://hooks.slack.com/services/T0/B0/hook41\n  site: https://example.com/page41\n';
    const redacted = redactSecretText(text);
    expect(redacted).not.toMatch(/key41|hook41/);
    expect(redacted).toContain('    -----BEGIN EC PRIVATE KEY-----\n    [redacted]\n    -----END EC PRIVATE KEY-----\n');
    expect(redacted).toContain('MIICcert41');
    expect(redacted).toContain('notify: https://hooks.slack.com/services/[redacted]');
    expect(redacted).toContain('site: https://example.com/page41');
  });

  it('redacts the lines of a block scalar under a secret name, and what follows it not', () => {
    const text = '# target: api\ndata:\n  ssh-private-key: |\n    -----BEGIN KEY-----\n    bWlkZGxlLWxpbmUtNDE=\n\n    -----END KEY-----\n  tls.crt: public-cert-41\n';
    const redacted = redactSecretText(text);
    expect(redacted).not.toMatch(/BEGIN KEY|bWlkZGxl|END KEY/);
    expect(redacted).toContain('ssh-private-key: [redacted]');
    expect(redacted).toContain('  tls.crt: public-cert-41');
  });

  it('redacts the value of a JSON-patch operation in block YAML whose path names a secret', () => {
    const text = '# target: db-creds\n- op: replace\n  path: /data/DB_PASSWORD\n  value: patch-secret-41\n- op: replace\n  path: /data/LOG_LEVEL\n  value: debug\n';
    const redacted = redactSecretText(text);
    expect(redacted).not.toContain('patch-secret-41');
    expect(redacted).toContain('path: /data/DB_PASSWORD\n  value: [redacted]');
    expect(redacted).toContain('value: debug');
  });

  it('parses text inside parsed text, but no deeper: deeper strings get the patterns', () => {
    // A ConfigMap file (flow style) inside a patch: parsed, its secret found by structure.
    const inner = '{name: API_KEY, value: inner-secret-41}';
    const once = redactSecretText(`data:\n  app.json: '${inner}'\n`);
    expect(once).not.toContain('inner-secret-41');
    // Nested a hundred times over, the text is still redacted (by the patterns below depth 2).
    let nested = 'password: deep-secret-41';
    for (let i = 0; i < 100; i++) nested = `a: |\n${nested.split('\n').map((l) => `  ${l}`).join('\n')}\nb: [1]`;
    expect(redactSecretText(nested)).not.toContain('deep-secret-41');
  });
});

describe('a one-line collection that reads as no document at a glance (review)', () => {
  it.each([
    ['a list entry', String.raw`- {"pass\u0077ord":"gate-s1"}`],
    ['a document start', String.raw`--- {"pass\u0077ord":"gate-s2"}`],
    ['a tag', String.raw`!!map {"pass\u0077ord":"gate-s3"}`],
    ['an anchor', String.raw`&a {"pass\u0077ord":"gate-s4"}`],
  ])('led by %s is read for its secrets by readers, sealing and the rules of what is secret, alone and as a ConfigMap\'s file', (_what, text) => {
    const configMap = `kind: ConfigMap\ndata:\n  f: ${JSON.stringify(text)}\n`;
    for (const shown of [redactSecretText(text), redactWholeText(text), redactSecretText(configMap), redactWholeText(configMap)]) expect(shown).not.toContain('gate-s');
    const spans = sealedSpans(configMap) ?? [];
    expect(spans.some(({ start, end }) => configMap.slice(start, end).includes('gate-s'))).toBe(true);
    expect([...secretStringsOf({ annotations: { f: text } })]).toEqual([text]);
  });
});

describe('text nested in a ConfigMap\'s file, and text too deep to read (probe)', () => {
  const sealedCovers = (text: string, secret: string) => (sealedSpans(text) ?? []).some(({ start, end }) => text.slice(start, end).includes(secret));

  it('reads YAML in a string of a JSON file for its secrets, readers and sealing alike (it was left to the patterns)', () => {
    const file = JSON.stringify({ x: 1, inner: '"pass\\x77ord": deep-esc-s1\n? secret\n: deep-cpx-s2\nshared: &a deep-alias-s3\nother:\n  password: *a\n' });
    const configMap = `kind: ConfigMap\ndata:\n  app.json: ${JSON.stringify(file)}\n`;
    for (const secret of ['deep-esc-s1', 'deep-cpx-s2', 'deep-alias-s3']) {
      expect(redactSecretText(configMap)).not.toContain(secret);
      expect(redactWholeText(configMap)).not.toContain(secret);
      expect(sealedCovers(configMap, secret)).toBe(true);
    }
    expect(redactSecretText(configMap)).toContain('{\\"x\\":1,');
  });

  it('takes a file nested deeper than the parser reads for a secret whole (a password behind an escaped key at 1,000 levels was left to the patterns)', () => {
    const file = `{"h": ${'['.repeat(3_000)}${']'.repeat(3_000)}, "pass\\u0077ord": "too-deep-s4"}`;
    const configMap = `kind: ConfigMap\ndata:\n  app.json: ${JSON.stringify(file)}\n  level: info\n`;
    expect(redactSecretText(configMap)).not.toContain('too-deep-s4');
    expect(redactSecretText(configMap)).toContain('level: info');
    expect(sealedCovers(configMap, 'too-deep-s4')).toBe(true);
    expect([...secretStringsOf({ data: { 'app.json': file } })]).toEqual([file]);
  });
});

describe('redactSecretText with aliases', () => {
  it('hides the value an alias under a secret name stands for: the anchor set last before it', () => {
    const redacted = redactSecretText('a: &x one\nb: &x two\nc: {password: *x}\nd: &x three\n');
    expect(redacted).not.toContain('two');
    expect(redacted).toContain('a: &x one\n');
    expect(redacted).toContain('d: &x three\n');
  });

  it('hides a whole anchored map used as a secret, though a value inside it was hidden on its own', () => {
    const redacted = redactSecretText('x: &m {url: "postgres://u:pw-41@h/db", note: keep-41}\nc: {password: *m}\n');
    expect(redacted).not.toContain('pw-41');
    expect(redacted).not.toContain('keep-41');
  });

  it('hides the anchored value in block-style text too, where the alias alone reads as a secret line', () => {
    const text = 'common: &pw block-secret-41\nenv:\n  password: *pw\n  plain: *pw\n';
    const redacted = redactSecretText(text);
    expect(redacted).not.toContain('block-secret-41');
    expect(redacted).toContain('plain: *pw');
  });

  it('still reads block-style text with an anchor line by line: comments and names only the patterns know', () => {
    const redacted = redactSecretText('# DB_PASSWORD=comment-secret-41\ndbpwd: name-secret-41\na: &x 1\nb: *x\n');
    expect(redacted).not.toContain('comment-secret-41');
    expect(redacted).not.toContain('name-secret-41');
    expect(redacted).toContain('a: &x 1');
  });

  it('hides an anchored secret however many aliases use it', () => {
    const text = `a: &pw alias-secret-41\n${Array.from({ length: 2_000 }, (_, i) => `k${i}: {password: *pw}`).join('\n')}\n`;
    const redacted = redactSecretText(text);
    expect(redacted).not.toContain('alias-secret-41');
    expect(redacted.match(/\[redacted\]/g)).toHaveLength(2_001);
  });
});

describe('redactPatchText', () => {
  it('hides a JSON-patch env value set by index, which redactSecretText cannot tell is secret, and keeps other values', () => {
    const text = '{"kind": "Deployment", "patch": [{"op": "replace", "path": "/spec/template/spec/containers/0/env/2/value", "value": "by-index-41"}, {"op": "replace", "path": "/spec/replicas", "value": 3}]}';
    expect(redactSecretText(text)).toContain('by-index-41');
    const redacted = redactPatchText(text, false);
    expect(redacted).not.toContain('by-index-41');
    expect(JSON.parse(redacted).patch[1].value).toBe(3);
  });

  it('reads the text as a Secret\'s when told the patch applies to one, though the text does not say so', () => {
    const text = 'stringData:\n  session: unkinded-41\n';
    expect(redactPatchText(text, false)).toContain('unkinded-41');
    expect(redactPatchText(text, true)).toBe('stringData:\n  session: [redacted]\n');
  });
});

describe('redactSecretShapes (the server\'s own words quoting what it was sent)', () => {
  it('hides what is a secret by its shape, and leaves the wording that names tokens, keys and schemes', () => {
    const secret = `slw_Ab3${'k'.repeat(40)}`;
    expect(redactSecretShapes(`no command "${secret}" is known`)).toBe('no command "[redacted]" is known');
    expect(redactSecretShapes('metadata.namespace "https://u:pw-5512@h/" does not match')).toBe('metadata.namespace "https://u:[redacted]@h/" does not match');
    for (const own of [
      'missing token: send "Authorization: Bearer <token>" (or "Token", or "X-Nomad-Token")',
      'tokenHash: not accepted; Slipway generates the token',
      'Idempotency-Key: not accepted here',
      'the alias *p (line 7) copies a secret value to a place where it is not kept secret: write there what is not secret',
    ]) expect(redactSecretShapes(own)).toBe(own);
  });
});

// What a reader without admin sees hidden is what sealing keeps out of the log (secretSpans):
// both the structure's finds and the patterns', whichever of them the text needs.
describe('redactPatchText hides what sealing keeps out of the log', () => {
  const DEPLOYMENT_ARGS = '# target: deployment-api-server\n# token: BisK4\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: api-server\n        args: ["--api-key", "abcdpw4"]';
  const cases: Array<[string, string, string[]]> = [
    ['a comment\'s value in a patch with a flow list of args', DEPLOYMENT_ARGS, ['BisK4', 'abcdpw4']],
    ['a comment\'s KEY=value beside a flow list', DEPLOYMENT_ARGS.replace('# token: BisK4', '# note: API_KEY=PatchCommentSecret1'), ['PatchCommentSecret1', 'abcdpw4']],
    ['a complex key', '# target: hot-configs\nkind: ConfigMap\ndata:\n  ? client_secret\n  : ComplexKeySecretF6', ['ComplexKeySecretF6']],
    ['a complex key written as a block', '# target: hot-configs\nkind: ConfigMap\ndata:\n  ? |-\n    password\n  : ZqI9', ['ZqI9']],
    ['a double-quoted key whose escape spells a secret name', '# target: hot-configs\nkind: ConfigMap\ndata:\n  "pass\\x77ord": EscapedKeySecretG7', ['EscapedKeySecretG7']],
    ['a plain scalar over several lines', '# target: hot-configs\nkind: ConfigMap\ndata:\n  password: ZqA1first\n    ZqA1cont', ['ZqA1first', 'ZqA1cont']],
    ['a Secret\'s comment', 'kind: Secret\nstringData:\n  plain: PlainSecretQQ6\n# password: inTheComment41\n', ['PlainSecretQQ6', 'inTheComment41']],
  ];

  it.each(cases)('%s', (_, text, secrets) => {
    const spans = secretSpans(text) ?? [];
    // Sealing finds each secret...
    for (const secret of secrets) expect(spans.some(({ start, end }) => text.slice(start, end).includes(secret))).toBe(true);
    // ...and a reader sees none of what it seals, nor does the audit view of a text never sealed.
    for (const shown of [redactPatchText(text, false), redactSecretText(text)]) {
      for (const secret of secrets) expect(shown).not.toContain(secret);
      for (const { start, end } of spans) expect(shown).not.toContain(text.slice(start, end).trim());
    }
    expect(redactPatchText(text, false)).toContain('kind: ');
  });

  it('keeps what neither hides, and hides the union where a pattern\'s match runs past a value', () => {
    expect(redactPatchText(DEPLOYMENT_ARGS, false)).toBe(DEPLOYMENT_ARGS.replace('BisK4', '[redacted]').replace('"abcdpw4"', '"[redacted]"'));
    expect(redactPatchText('data:\n  password: ZqA1first\n    ZqA1cont\n  LOG_LEVEL: info\n', false)).toBe('data:\n  password: [redacted]\n  LOG_LEVEL: info\n');
    const text = '{password: "abc1", x: 1}\n# password: "comment-41 and more\n';
    const shown = redactPatchText(text, false);
    expect(shown).not.toMatch(/abc1|comment-41/);
    expect(shown).toContain('x: 1');
  });

  it.each([
    ['a flow map\'s closing brace after a secret value', 'data: {password: Saitqhlf0}', 'data: {password: "[redacted]"}'],
    ['the comma after a flow value', 'stringData: {password: Saitqhlf0, passwords: \'x\', user: bob}', 'stringData: {password: "[redacted]", passwords: \'[redacted]\', user: bob}'],
    ['an anchor before a secret value its alias uses', 'data: {password: &a AnchorPw01, plain: *a}', 'data: {password: &a "[redacted]", plain: *a}'],
  ])('leaves a reader\'s text as parseable as it was: %s (differential check: the pattern\'s match took it)', (_, text, expected) => {
    const shown = redactPatchText(text, false);
    expect(shown).toBe(expected);
    expect(parseAllDocuments(shown).every((document) => document.errors.length === 0)).toBe(true);
  });

  it('hides what a pattern finds past a value the structure hides, a comment kept a comment (second differential check)', () => {
    const shown = redactPatchText('password: abc # hunter2\nuser: bob', false);
    expect(shown).toBe('password: [redacted] # [redacted]\nuser: bob');
    expect(parseAllDocuments(shown).every((document) => document.errors.length === 0)).toBe(true);
  });
});
