import { redactSecretText, redactWholeText, secretSpans } from '@slipway/contracts';
import { CommandSeals, sealText } from '@slipway/sealing';
import { parseAllDocuments } from 'yaml';
import { parseBaseConfigs } from '../apps/config-store/src/parsing/parse-base-configs';
import { digestWith, withSecretsDigested } from '../apps/deployer/src/cluster/secret-digests';
import { timedSecond } from './stats';
import { heldWhile } from './yaml-bodies';

/**
 * (h) What keeping secrets out of the log costs: sealing an upload's documents as the
 * config-store does before recording them (each text and the strings inside it parsed
 * whatever their size), against sealing them with the strings inside parsed up to 4 KiB only
 * (as it did before 2026-12-06: a longer file was judged by the patterns) and against reading
 * the same upload (parseBaseConfigs, which every upload pays anyway); how long each holds the
 * event loop, at once and through CommandSeals (the worker); and redacting text with a
 * thousand aliases to one secret (the audit API does it on every read) against parsing that
 * text. Each timed twice, the second kept.
 */
export interface SealingBenchResult {
  bytes: number; parseMs: number; sealMs: number; boundedMs: number; sealHeldMs: number; offLoopMs: number; offLoopHeldMs: number;
  /** Whether the password of a long file behind an escaped key is in what the log would record. */
  leaked: { bounded: boolean; sealed: boolean };
  aliasBytes: number; aliasParseMs: number; aliasRedactMs: number;
  /** The deployer recording an applied ConfigMap whose file is a MiB: judging the file at once, as it did, against withSecretsDigested (the worker). */
  manifest: { bytes: number; atOnceMs: number; atOnceHeldMs: number; offLoopMs: number; offLoopHeldMs: number };
}

const ESCAPED_KEY_SECRET = 'escaped-key-secret';

/**
 * Deployments with a secret env value, Secrets, ConfigMaps holding a config file in flow
 * style, and every thirtieth a ConfigMap holding a 6 KiB file in block style whose password
 * only its structure tells (an escaped key).
 */
function upload(documents: number): string {
  const file = `{${Array.from({ length: 60 }, (_, i) => `k${i}: [a, {b: c}]`).join(', ')}, password: file-secret}`;
  const longFile = `"pass\\x77ord": ${ESCAPED_KEY_SECRET}\n${Array.from({ length: 300 }, (_, i) => `setting_${i}: value-${i}`).join('\n')}\n`;
  return Array.from({ length: documents }, (_, i) => {
    if (i % 30 === 29) return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: l${i}\ndata:\n  app.yaml: ${JSON.stringify(longFile)}\n`;
    switch (i % 3) {
      case 0: return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: r/app:${i}\n        env:\n        - name: DB_PASSWORD\n          value: pw-${i}\n        - name: LOG_LEVEL\n          value: info\n`;
      case 1: return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s${i}\ndata:\n  password: ${Buffer.from(`pw-${i}`).toString('base64')}\nstringData:\n  token: tok-${i}\n`;
      default: return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  DATABASE_URL: postgres://app:pw-${i}@db/app\n  app.yaml: '${file}'\n`;
    }
  }).join('---\n');
}


export async function sealingBench(): Promise<SealingBenchResult> {
  const text = upload(1_500);
  const parseMs = timedSecond(() => parseBaseConfigs(text));
  const documents = parseBaseConfigs(text);
  const texts = documents.map((d) => ({ text: d.config, inSecret: d.kind === 'Secret', field: 'base_config' }));
  const sealAll = (found?: (text: string, inSecret: boolean) => ReturnType<typeof secretSpans>) =>
    texts.map(({ text: config, inSecret, field }) => sealText('bench-key', config, inSecret, field, found && { spans: found(config, inSecret) }).text);
  const sealMs = timedSecond(() => sealAll());
  const boundedMs = timedSecond(() => sealAll(secretSpans));
  const sealHeld = await heldWhile(async () => sealAll());
  // Warmed: the worker started and its code compiled.
  await new CommandSeals('bench-key', 'unused').sealAll(texts);
  const offLoop = await heldWhile(() => new CommandSeals('bench-key', 'unused').sealAll(texts));
  const leaked = { bounded: sealAll(secretSpans).some((t) => t.includes(ESCAPED_KEY_SECRET)), sealed: sealAll().some((t) => t.includes(ESCAPED_KEY_SECRET)) };
  const manifest = await manifestBench();
  const aliases = `shared: &pw alias-secret\n${Array.from({ length: 1_000 }, (_, i) => `k${i}: {password: *pw}`).join('\n')}\n`;
  const aliasParseMs = timedSecond(() => parseAllDocuments(aliases, { uniqueKeys: false }));
  const aliasRedactMs = timedSecond(() => redactSecretText(aliases));
  return {
    bytes: text.length, parseMs, sealMs, boundedMs, sealHeldMs: sealHeld.heldMs, offLoopMs: offLoop.ms, offLoopHeldMs: offLoop.heldMs, leaked,
    aliasBytes: aliases.length, aliasParseMs, aliasRedactMs, manifest,
  };
}

async function manifestBench(): Promise<SealingBenchResult['manifest']> {
  let file = `"pass\\x77ord": ${ESCAPED_KEY_SECRET}\n`;
  for (let i = 0; file.length < 1024 * 1024; i += 1) file += `setting_${i}: {value: v-${i}, list: [a, b]}\n`;
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files' }, data: { 'app.yaml': file } };
  const atOnce = await heldWhile(async () => redactWholeText(file));
  // Warmed on another text (the worker started, its code compiled); the file itself is judged once, then remembered.
  await withSecretsDigested({ ...configMap, data: { 'app.yaml': `${file}warm: up\n` } }, digestWith('bench-key'));
  const offLoop = await heldWhile(() => withSecretsDigested(configMap, digestWith('bench-key')));
  return { bytes: file.length, atOnceMs: atOnce.ms, atOnceHeldMs: atOnce.heldMs, offLoopMs: offLoop.ms, offLoopHeldMs: offLoop.heldMs };
}
