import { callInstabase, form, issueReadToken } from './instabase-fixtures';
import { startStack, type Stack } from './stack';

/**
 * Patch views read by a token without `admin` (../shared/seeds/004, docs/api-dialects.md,
 * "Secrets in base configs and patches"): the patch text with its secrets hidden as the
 * audit API hides them (what the log's sealing keeps out of it), whichever way the text
 * holds them, and no search hit on a hidden value.
 */
const PATCHES: Array<{ text: string; secrets: string[] }> = [
  // A comment's value beside a flow list of args: the list's value hidden by the structure, the comment by the patterns.
  {
    text: '# target: deployment-api-server\n# token: BisK4\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: api-server\n        args: ["--api-key", "abcdpw4"]',
    secrets: ['BisK4', 'abcdpw4'],
  },
  { text: '# target: hot-configs\nkind: ConfigMap\ndata:\n  ? client_secret\n  : ComplexKeySecretF6', secrets: ['ComplexKeySecretF6'] },
  { text: '# target: hot-configs\nkind: ConfigMap\ndata:\n  "pass\\x77ord": EscapedKeySecretG7', secrets: ['EscapedKeySecretG7'] },
  { text: '# target: hot-configs\nkind: ConfigMap\ndata:\n  password: ZqA1first\n    ZqA1cont', secrets: ['ZqA1first', 'ZqA1cont'] },
  // Past the 64 KiB the events API parses of a text: a reader's view parses it all the same (on a worker).
  {
    text: `# target: hot-configs\nkind: ConfigMap\ndata:\n  shared: &pw LargeAliasSecretH8\n  password: *pw\n${Array.from({ length: 4_000 }, (_, i) => `  key${i}: value-${i}`).join('\n')}`,
    secrets: ['LargeAliasSecretH8'],
  },
];
const SECRETS = PATCHES.flatMap((p) => p.secrets);

describe('Instabase patch views with secrets, read without admin', () => {
  let stack: Stack;
  const reader = 'patch-reader-token-7d21';
  const read = async (path: string, token = reader) => {
    const response = await callInstabase(stack, path, {}, token);
    expect(response.status).toBe(200);
    return response.text();
  };
  const search = async (query: string, token = reader) => JSON.parse(await read(`/patches/search?query=${encodeURIComponent(query)}&caseSensitive=true&limit=10`, token)).patches as unknown[];

  beforeAll(async () => {
    stack = await startStack();
    await issueReadToken(stack, 'patch-reader', reader);
    for (const { text } of PATCHES) {
      const applied = await callInstabase(stack, '/patches/apply', { method: 'POST', headers: form, body: new URLSearchParams({ patch: text }).toString() });
      expect(applied.status).toBe(200);
    }
  });
  afterAll(() => stack.stop());

  it('hides every secret the audit API hides in the patch list, an object\'s patches and a search, and shows the rest', async () => {
    const audit = await (await stack.request('/api/v1/events?limit=100', { headers: { authorization: `Bearer ${reader}` } })).text();
    expect(audit).toContain('client_secret');
    const shown = (await Promise.all(['/patches', '/patches/hot-configs', '/patches/deployment-api-server', '/patches/search?query=target&caseSensitive=true&limit=10'].map((path) => read(path)))).join('\n');
    for (const secret of SECRETS) {
      expect(audit).not.toContain(secret);
      expect(shown).not.toContain(secret);
    }
    expect(shown).toContain('[redacted]');
    expect(shown).toContain('--api-key');
    expect(shown).toContain('client_secret');
    expect(shown).toContain('key3999: value-3999');
    // The admin reads the patches as sent.
    const asSent = await read('/patches', stack.adminToken);
    for (const secret of SECRETS) expect(asSent).toContain(secret);
  });

  it('finds no patch by a hidden value for the reader (a hit would confirm a guess), as it does for the admin', async () => {
    for (const query of ['EscapedKey', 'BisK4', 'ComplexKeySecretF6', 'ZqA1cont', 'LargeAliasSecretH8']) {
      expect(await search(query)).toEqual([]);
      expect(await search(query, stack.adminToken)).toHaveLength(1);
    }
    expect(await search('client_secret')).toHaveLength(1);
  });
});
