import { performance } from 'node:perf_hooks';
import { parseBody } from '../apps/gateway/src/http/parse-body';
import { parseYamlDocument } from '../apps/config-store/src/parsing/parse-yaml';

/**
 * (i) What reading a body costs as it grows, where a hostile one is cheapest to make:
 * one map of many keys (each checked against the others for a duplicate), and many
 * aliases to one anchor (each checked for standing inside its anchor's node). Read by the
 * gateway (parseBody) and the config-store (parseYamlDocument), against JSON.parse of
 * the same map as JSON; at n and 4n, so that 4n costing ~4 times n says the cost is linear
 * (it was quadratic: 16 times). Each timed twice, the second kept.
 */
export interface YamlBodyTiming { n: number; bytes: number; jsonMs: number; gatewayKeysMs: number; storeKeysMs: number; gatewayAliasesMs: number }

function timed(work: () => unknown): number {
  const attempt = () => { try { work(); } catch { /* refused: what it cost to refuse is the figure */ } };
  attempt();
  const start = performance.now();
  attempt();
  return performance.now() - start;
}

function timing(n: number): YamlBodyTiming {
  const keys = Array.from({ length: n }, (_, i) => `key${i}: ${i}`).join('\n');
  const json = JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, i])));
  const aliases = `x: &a 1\ny: [${Array.from({ length: n }, () => '*a').join(', ')}]\n`;
  return {
    n, bytes: keys.length,
    jsonMs: timed(() => JSON.parse(json)),
    gatewayKeysMs: timed(() => parseBody(keys, 'application/yaml')),
    storeKeysMs: timed(() => parseYamlDocument({ text: keys, line: 1, index: 1 }, 'base_config')),
    gatewayAliasesMs: timed(() => parseBody(aliases, 'application/yaml')),
  };
}

export function yamlBodiesBench(n = 10_000): [YamlBodyTiming, YamlBodyTiming] {
  return [timing(n), timing(4 * n)];
}
