import { redactRefusal } from './redact-refusal';

describe('a refusal as a status shows it', () => {
  it('hides a URL password in a JSON pointer that escapes its slashes, in the message and the field (a probe)', () => {
    const pointer = '/data/postgres:~1~1u:PathLeak1@h';
    const shown = redactRefusal({ code: 'invalid', message: `JSON patch operation 0 (${pointer}): path not found; also /data/password=PathLeak2`, field: pointer });
    expect(JSON.stringify(shown)).not.toMatch(/PathLeak/);
    expect(shown.message).toContain('/data/postgres://u:[redacted]@h');
    expect(shown.field).toBe('/data/postgres://u:[redacted]@h');
  });

  it('leaves a pointer holding no secret as it was written', () => {
    const shown = redactRefusal({ code: 'invalid', message: 'JSON patch operation 1 (/metadata/annotations/a~1b): path not found', field: '/metadata/annotations/a~1b' });
    expect(shown).toEqual({ code: 'invalid', message: 'JSON patch operation 1 (/metadata/annotations/a~1b): path not found', field: '/metadata/annotations/a~1b' });
  });
});
