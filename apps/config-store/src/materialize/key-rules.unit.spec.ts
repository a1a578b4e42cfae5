import { keyProblems } from './key-rules';

const configMap = { apiVersion: 'v1', kind: 'ConfigMap' };
const secret = { apiVersion: 'v1', kind: 'Secret' };
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
const custom = { apiVersion: 'example.com/v1', kind: 'Widget' };
const DATA_RULE = 'is not a valid key: at most 253 letters, digits, "-", "_" or ".", and not ".", ".." or starting with ".."';

describe('keyProblems: keys the API server refuses', () => {
  it('names a ConfigMap\'s or Secret\'s data keys that cannot be file names, without showing a value', () => {
    expect(keyProblems(configMap, { ...configMap, metadata: { name: 'c' }, data: { 'bad key': 'x', 'a/b': 'x', '..hidden': 'x', 'ok-key_1.conf': 'x', '.dotfile': 'x' } })).toEqual([
      `data key "bad key" ${DATA_RULE}`, `data key "a/b" ${DATA_RULE}`, `data key "..hidden" ${DATA_RULE}`,
    ]);
    const problems = keyProblems(secret, { ...secret, metadata: { name: 's' }, stringData: { '~2': 'hunter2' } });
    expect(problems).toEqual([`stringData key "~2" ${DATA_RULE}`]);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('names label keys and values of any kind, without showing a value', () => {
    const problems = keyProblems(deployment, { ...deployment, metadata: { name: 'w', labels: {
      tier: 'front end', 'Example.com/x': 'a', 'a/b/c': 'a', 'app.kubernetes.io/name': 'web', empty: '', dotted: 'v1.2_3-rc', [`${'n'.repeat(63)}`]: 'v'.repeat(63),
    } } });
    expect(problems).toEqual([
      'metadata.labels "tier" has no valid label value: at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit (or empty)',
      'metadata.labels key "Example.com/x" is not a valid label key: its prefix must be a DNS subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)',
      'metadata.labels key "a/b/c" is not a valid label key: a key has at most one "/"',
    ]);
    expect(problems.join()).not.toContain('front end');
    expect(keyProblems(custom, { ...custom, metadata: { name: 'w', labels: { ['n'.repeat(64)]: 'v' } } })).toHaveLength(1);
  });

  it('reads annotation keys in lower case, as the API server does; their values are free text but not their size', () => {
    expect(keyProblems(custom, { ...custom, metadata: { name: 'w', annotations: { 'Example.com/Owner': 'any text: at all', note: 'x', '-bad': 'x' } } })).toEqual([
      'metadata.annotations key "-bad" is not a valid annotation key: its name must be at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit',
    ]);
    expect(keyProblems(custom, { ...custom, metadata: { name: 'w', annotations: { big: 'x'.repeat(255 * 1024) } } })).toEqual([
      'metadata.annotations hold more than 261120 bytes (the API server\'s 262144, less 1024 for the annotations Slipway adds)',
    ]);
    expect(keyProblems(custom, { ...custom, metadata: { name: 'w', annotations: { big: 'x'.repeat(255 * 1024 - 3) } } })).toEqual([]);
  });

  it('checks a workload\'s pod template labels and annotations as its pods\' own', () => {
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob' };
    expect(keyProblems(deployment, { ...deployment, metadata: { name: 'w' }, spec: { template: { metadata: { labels: { v: 'a/b' }, annotations: { 'a b': 'x' } } } } })).toEqual([
      'spec.template.metadata.labels "v" has no valid label value: at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit (or empty)',
      'spec.template.metadata.annotations key "a b" is not a valid annotation key: its name must be at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit',
    ]);
    expect(keyProblems(cronJob, { ...cronJob, metadata: { name: 'c' }, spec: { jobTemplate: { metadata: { labels: { 'x y': 'x' } }, spec: { template: { metadata: { labels: { 'a/b/c': 'x' } } } } } } }))
      .toEqual([expect.stringMatching(/^spec\.jobTemplate\.metadata\.labels key "x y"/), expect.stringMatching(/^spec\.jobTemplate\.spec\.template\.metadata\.labels key "a\/b\/c"/)]);
  });

  it('names a key a ConfigMap holds in both data and binaryData', () => {
    expect(keyProblems(configMap, { ...configMap, metadata: { name: 'c' }, data: { 'a.txt': 'x', b: 'y' }, binaryData: { 'a.txt': 'eA==' } })).toEqual(['data and binaryData both hold the key "a.txt"']);
  });

  it('leaves data keys of kinds that are not the core ConfigMap and Secret alone', () => {
    expect(keyProblems({ apiVersion: 'example.com/v1', kind: 'ConfigMap' }, { metadata: { name: 'c' }, data: { 'bad key': 'x' } })).toEqual([]);
  });
});
