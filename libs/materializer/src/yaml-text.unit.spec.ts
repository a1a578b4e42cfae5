import { parse } from 'yaml';
import { toYamlText } from './yaml-text';

describe('toYamlText', () => {
  it('quotes strings a YAML 1.1 reader would take for booleans, numbers, dates or null, and keeps them strings for a 1.2 reader', () => {
    const labels = { extra: 'yes', a: 'on', b: 'No', c: '1_000', d: '2001-12-14', e: '0777', f: '~', g: 'y', h: '12:30', i: 'plain text' };
    const text = toYamlText({ metadata: { labels }, spec: { replicas: 3, paused: false, note: null } });
    for (const value of ['yes', 'on', 'No', '1_000', '2001-12-14', '0777', '~', 'y', '12:30']) expect(text).toContain(`"${value}"`);
    expect(text).toContain('i: plain text');
    expect(text).toContain('replicas: 3');
    expect(parse(text)).toEqual({ metadata: { labels }, spec: { replicas: 3, paused: false, note: null } });
    expect(parse(text, { version: '1.1' })).toEqual({ metadata: { labels }, spec: { replicas: 3, paused: false, note: null } });
  });

  it('keeps strings a YAML 1.2 reader would misread quoted (0o17, 0x1F, true), and quotes a "<<" key and "="', () => {
    const value = { data: { MODE: '0o17', HEX: '0x1F', FLAG: 'true', '<<': 'merge', EQ: '=', NUMBERISH: '1e3' } };
    const text = toYamlText(value);
    expect(parse(text)).toEqual(value);
    expect(parse(text, { version: '1.1' })).toEqual(value);
    expect(text).toContain('"<<":');
  });

  it('writes a multi-line string as a block, not quoted', () => {
    const text = toYamlText({ data: { 'app.conf': 'LOG_LEVEL: INFO\nyes: no\n' } });
    expect(text).toContain('app.conf: |');
    expect(parse(text)).toEqual({ data: { 'app.conf': 'LOG_LEVEL: INFO\nyes: no\n' } });
  });

  it('writes a value that appears twice in full each time, without anchors', () => {
    const resources = { requests: { cpu: '1' } };
    const text = toYamlText({ containers: [{ name: 'a', resources }, { name: 'b', resources }] });
    expect(text).not.toMatch(/[&*]a1/);
    expect(text.match(/cpu: "1"/g)).toHaveLength(2);
  });
});
