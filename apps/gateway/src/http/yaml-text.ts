import { escapedForYaml, faithfulYamlText } from '@slipway/contracts';

/**
 * Strings a YAML 1.1 reader would take for something else, which YAML 1.2 writers leave
 * plain: booleans (`yes`, `on`, `y`), numbers with `_` or in base 60, dates, the value and
 * merge keys (`=`, `<<`: PyYAML refuses them), text holding a line break of 1.1's own
 * (NEL, LS, PS: plain, 1.1 readers break the line there or fail; quoted, they are escaped),
 * text holding a character neither version lets a document hold raw (DEL, the C1
 * controls, U+FFFE, U+FFFF: PyYAML refuses the whole answer), which must be escaped, and
 * text holding a tab (PyYAML reads none in a plain scalar: `a<TAB>b` fails the whole answer).
 * Readers of 1.1 are common (go-yaml v2 under sigs.k8s.io/yaml, PyYAML), and a label value
 * `yes` must reach them as text.
 */
const READ_OTHERWISE_BY_YAML_1_1 = new RegExp([
  '^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|=|<<)$',
  '[\t\u007f-\u009f\u2028\u2029\ufffe\uffff]',
  '^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\\.[0-9_]+)$',
  '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \\t])',
].join('|'));

/**
 * YAML (1.2) that readers of YAML 1.1 read the same: the strings above double-quoted, and
 * the line breaks of 1.1 and the characters no YAML holds raw escaped in them (the writer
 * leaves them raw: a 1.1 reader folds a NEL into a space, and refuses a DEL). A string
 * holding one is always double-quoted, so each is escaped. A value met twice is written twice,
 * as JSON writes it, not as an anchor and its alias.
 */
export function yamlText(body: unknown): string {
  return faithfulYamlText(body, (text) => READ_OTHERWISE_BY_YAML_1_1.test(text), escapedForYaml);
}

/** yamlText of a JSON text: a large answer is written on a worker thread (respond.ts), which takes it as JSON writes it. */
export function yamlTextOfJson(json: string): string {
  return yamlText(JSON.parse(json));
}
