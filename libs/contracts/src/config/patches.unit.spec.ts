import { MAX_PATCH_TEXT } from './patch-text';
import { ApplyPatches, DeletePatch, SetRegistry } from './patches';

describe('SetRegistry', () => {
  const refusal = (registry: string) => {
    const parsed = SetRegistry.schema.safeParse({ registry });
    return parsed.success ? undefined : parsed.error.issues[0]!.message;
  };

  it('takes a registry host, with a port and path components', () => {
    for (const registry of ['gcr.io/instabase-public', 'localhost:5000/team', 'registry.example.com', 'reg.example.com:443/a/b_c/d-e', 'ghcr.io/org__x']) {
      expect([registry, refusal(registry)]).toEqual([registry, undefined]);
    }
  });

  it('refuses what no image reference could start with: a path that climbs, a port out of range, an empty component', () => {
    expect(refusal('a/../b')).toMatch(/^must be an image registry/);
    expect(refusal('reg.example.com:99999')).toBe('has a port outside 1-65535');
    expect(refusal('reg.example.com:0/x')).toBe('has a port outside 1-65535');
    expect(refusal('gcr.io//x')).toMatch(/^must be an image registry/);
    expect(refusal('gcr.io/Upper')).toMatch(/^must be an image registry/);
    expect(refusal('-gcr.io')).toMatch(/^must be an image registry/);
  });
});

describe('patch versions', () => {
  const refusal = (version: unknown) => {
    const parsed = DeletePatch.schema.safeParse({ version });
    return parsed.success ? undefined : parsed.error.issues[0]!.message;
  };

  it('says a version is too large rather than no integer, and refuses fractions and zero', () => {
    expect(refusal('99999999999999999999')).toBe('is larger than any patch version');
    expect(refusal('1.5')).toBe('must be an integer');
    expect(refusal('0')).toBe('must be a positive number');
    expect(refusal('1733300000000')).toBeUndefined();
  });
});

describe('ApplyPatches text bound', () => {
  it('refuses a text past 2 MiB saying the bound in words (it read "Too big: expected string to have <=2097152 characters")', () => {
    const parsed = ApplyPatches.schema.safeParse({ text: 'x'.repeat(MAX_PATCH_TEXT + 1) });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['text'], message: 'must be at most 2097152 characters (2 MiB)' });
  });
});
