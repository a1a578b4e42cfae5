import { performance } from 'node:perf_hooks';
import { parseBody } from '../apps/gateway/src/http/parse-body';
import { readYamlBody } from '../apps/gateway/src/http/read-yaml-body';
import { parseYamlDocument } from '../apps/config-store/src/parsing/parse-yaml';
import { timedSecond } from './stats';

/**
 * (i) What reading a body costs as it grows, where a hostile one is cheapest to make:
 * one map of many keys (each checked against the others for a duplicate), and many
 * aliases to one anchor (each checked for standing inside its anchor's node). Read by the
 * gateway (readYamlBody, which parseBody runs) and the config-store (parseYamlDocument), against JSON.parse of
 * the same map as JSON; at n and 4n, so that 4n costing ~4 times n says the cost is linear
 * (it was quadratic: 16 times). Each timed twice, the second kept.
 */
export interface YamlBodyTiming { n: number; bytes: number; jsonMs: number; gatewayKeysMs: number; storeKeysMs: number; gatewayAliasesMs: number }

function timed(work: () => unknown): number {
  return timedSecond(() => { try { work(); } catch { /* refused: what it cost to refuse is the figure */ } });
}

function timing(n: number): YamlBodyTiming {
  const keys = Array.from({ length: n }, (_, i) => `key${i}: ${i}`).join('\n');
  const json = JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, i])));
  const aliases = `x: &a 1\ny: [${Array.from({ length: n }, () => '*a').join(', ')}]\n`;
  return {
    n, bytes: keys.length,
    jsonMs: timed(() => JSON.parse(json)),
    gatewayKeysMs: timed(() => readYamlBody(keys)),
    storeKeysMs: timed(() => parseYamlDocument({ text: keys, line: 1, index: 1 }, 'base_config')),
    gatewayAliasesMs: timed(() => readYamlBody(aliases)),
  };
}

export function yamlBodiesBench(n = 10_000): [YamlBodyTiming, YamlBodyTiming] {
  return [timing(n), timing(4 * n)];
}

/**
 * (i) The longest the gateway's event loop is held while it reads `count` YAML bodies of about
 * `bytes` each, one after another: read at once (readYamlBody, as every body was before
 * 2026-12-06) and as parseBody reads them now (on a worker thread from 32 KiB). A timer asks
 * for a turn every millisecond; its longest wait is what every other request would wait.
 */
export interface LoopHeld { bytes: number; count: number; inlineMs: number; offLoopMs: number; inlineHeldMs: number; offLoopHeldMs: number }

export async function heldWhile(work: () => Promise<unknown>): Promise<{ ms: number; heldMs: number }> {
  let last = performance.now();
  let held = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    held = Math.max(held, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  last = performance.now();
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(ticker);
  return { ms, heldMs: held };
}

export async function loopHeldBench(bytes = 1024 * 1024, count = 4): Promise<LoopHeld> {
  let body = 'items:\n';
  for (let i = 0; body.length < bytes; i += 1) body += `  - name: item-${i}\n    value: "value ${i}"\n    labels: {a: b, c: d}\n`;
  const each = async (read: () => Promise<unknown> | unknown) => { for (let i = 0; i < count; i += 1) await read(); };
  // Warmed: the worker started, both paths compiled.
  await parseBody(body, 'application/yaml');
  readYamlBody(body);
  const inline = await heldWhile(() => each(() => readYamlBody(body)));
  const offLoop = await heldWhile(() => each(() => parseBody(body, 'application/yaml')));
  return { bytes: body.length, count, inlineMs: inline.ms / count, offLoopMs: offLoop.ms / count, inlineHeldMs: inline.heldMs, offLoopHeldMs: offLoop.heldMs };
}
