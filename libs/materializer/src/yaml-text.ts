import { stringify } from 'yaml';

/**
 * A JSON value as YAML text every reader takes back as the same value. Strings that a
 * YAML 1.1 reader (PyYAML, go-yaml v2, so kubectl's older paths) would take for something
 * else — `yes`, `on`, `1_000`, `2001-12-14`, `0777` — are quoted, as the 1.1 schema asks;
 * a YAML 1.2 reader takes them as the same strings. Values that appear twice are written
 * out each time, not as anchors and aliases: the text is read by people and searched.
 */
export function toYamlText(value: unknown): string {
  return stringify(value, { version: '1.1', aliasDuplicateObjects: false });
}
