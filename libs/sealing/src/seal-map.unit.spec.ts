import path from 'node:path';
import { redactSecrets } from '@slipway/contracts';
import { OffLoop } from '@slipway/runtime';
import { CommandSeals } from './seal-store';
import { sealMap } from './seal-map';
import { tokenOf, tokensIn, unsealText } from './seal-text';

const KEY = 'a-test-key';
const seals = () => new CommandSeals(KEY, 'test.sealed_values');
/** What a store holding these spans would give back for their tokens. */
const storeOf = (spans: string[]): Map<string, string> => new Map(spans.map((span) => [tokenOf(KEY, span), span]));

describe('sealMap', () => {
  const annotations = {
    'db-password': 'pw-5e1c',
    'api-token': 'tok-0d4f',
    AWS_SECRET_ACCESS_KEY: 'aws-7c21',
    'repo-url': 'https://ci:url-93be@git.example/repo.git',
    owner: 'team-a',
    'empty-secret': '',
  };

  it('seals what redaction hides: a secret-named key\'s value whole, only the password of a URL', async () => {
    const sealing = seals();
    const sealed = await sealMap(annotations, sealing, 'metadata.annotations');
    expect(sealing.empty).toBe(false);
    for (const secret of ['pw-5e1c', 'tok-0d4f', 'aws-7c21', 'url-93be']) expect(JSON.stringify(sealed)).not.toContain(secret);
    expect(sealed).toMatchObject({ owner: 'team-a', 'empty-secret': '', 'repo-url': expect.stringMatching(/^https:\/\/ci:"slipway-sealed:[\w-]{43}"@git\.example\/repo\.git$/) });
    expect(sealed['db-password']).toMatch(/^"slipway-sealed:[\w-]{43}"$/);
    // What the audit API shows of the sealed map is what it showed of the values.
    expect(redactSecrets(sealed)).toMatchObject({ ...(redactSecrets(annotations) as object), 'repo-url': expect.any(String) });
    const store = storeOf(['pw-5e1c', 'tok-0d4f', 'aws-7c21', 'url-93be']);
    const back = Object.fromEntries(Object.entries(sealed).map(([key, value]) => [key, unsealText(value, store)]));
    expect(back).toEqual(annotations);
  });

  it('seals an env-entry-shaped map\'s value, as redaction hides it', async () => {
    const sealed = await sealMap({ name: 'DB_PASSWORD', value: 'entry-s3cret' }, seals(), 'metadata.annotations');
    expect(sealed.name).toBe('DB_PASSWORD');
    expect(tokensIn(sealed.value!)).toHaveLength(1);
  });

  it('leaves a map without secrets as it is, and seals nothing', async () => {
    const sealing = seals();
    expect(await sealMap({ owner: 'team-a', note: 'no secrets here' }, sealing, 'metadata.annotations')).toEqual({ owner: 'team-a', note: 'no secrets here' });
    expect(sealing.empty).toBe(true);
  });

  it('refuses a value holding a token, naming its key', async () => {
    await expect(sealMap({ copy: 'slipway-sealed:abc' }, seals(), 'metadata.annotations'))
      .rejects.toThrow(expect.objectContaining({ code: 'invalid', field: 'metadata.annotations.copy' }));
  });

  it('seals a long value by its structure and that of the file inside it, worked out on the worker, as a short one is', async () => {
    // An annotation past READ_OFF_LOOP_FROM holding JSON whose one string is a YAML file,
    // its password behind an escaped key: only the file's structure tells (the patterns read
    // `pass\x77ord`), and strings inside past 4 KiB went by the patterns.
    const padding = Array.from({ length: 3_000 }, (_, i) => `setting_${i}: value-${i}`).join('\n');
    const annotation = JSON.stringify({ 'app.yaml': `"pass\\x77ord": escaped-s3cret\n${padding}\n` });
    expect(annotation.length).toBeGreaterThan(32 * 1024);
    const sealing = seals();
    const sealed = await sealMap({ 'app-config': annotation }, sealing, 'metadata.annotations');
    expect(sealed['app-config']).not.toContain('escaped-s3cret');
    // The file is one span, sealed whole.
    expect(sealed['app-config']).toMatch(/^\{"app\.yaml": ?"slipway-sealed:[\w-]{43}"\}$/);
    // The same as sealed at once, on this thread.
    expect(seals().seal(annotation, false, 'metadata.annotations')).toBe(sealed['app-config']);
  });

  it('seals a long value at once when the worker fails, as it would have (a worker is only a way to keep the event loop free)', async () => {
    const padding = Array.from({ length: 3_000 }, (_, i) => `setting_${i}: value-${i}`).join('\n');
    const annotation = JSON.stringify({ 'app.yaml': `"pass\\x77ord": escaped-s3cret\n${padding}\n` });
    const broken = new OffLoop(path.join(__dirname, 'no-such-module.js'));
    try {
      const sealed = await sealMap({ 'app-config': annotation }, new CommandSeals(KEY, 'test.sealed_values', broken), 'metadata.annotations');
      expect(sealed['app-config']).toBe(seals().seal(annotation, false, 'metadata.annotations'));
      expect(sealed['app-config']).not.toContain('escaped-s3cret');
      await expect(broken.run('sealedSpansOf', [])).rejects.toThrow();
    } finally {
      await broken.close();
    }
  });
});
