import { redactSecretText } from '@slipway/contracts';
import { sealText } from '@slipway/sealing';
import { parseAllDocuments } from 'yaml';
import { parseBaseConfigs } from '../apps/config-store/src/parsing/parse-base-configs';
import { timedSecond } from './stats';

/**
 * (h) What keeping secrets out of the log costs: sealing an upload's documents (as the
 * config-store does before recording them, with its per-command parse budget) against
 * reading the same upload (parseBaseConfigs, which every upload pays anyway); and redacting
 * text with a thousand aliases to one secret (the audit API does it on every read) against
 * parsing that text. Each timed twice, the second kept.
 */
export interface SealingBenchResult { bytes: number; parseMs: number; sealMs: number; aliasBytes: number; aliasParseMs: number; aliasRedactMs: number }

/** Deployments with a secret env value, Secrets, and ConfigMaps holding a config file in flow style. */
function upload(documents: number): string {
  const file = `{${Array.from({ length: 60 }, (_, i) => `k${i}: [a, {b: c}]`).join(', ')}, password: file-secret}`;
  return Array.from({ length: documents }, (_, i) => {
    switch (i % 3) {
      case 0: return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: r/app:${i}\n        env:\n        - name: DB_PASSWORD\n          value: pw-${i}\n        - name: LOG_LEVEL\n          value: info\n`;
      case 1: return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s${i}\ndata:\n  password: ${Buffer.from(`pw-${i}`).toString('base64')}\nstringData:\n  token: tok-${i}\n`;
      default: return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  DATABASE_URL: postgres://app:pw-${i}@db/app\n  app.yaml: '${file}'\n`;
    }
  }).join('---\n');
}


export function sealingBench(): SealingBenchResult {
  const text = upload(1_500);
  const parseMs = timedSecond(() => parseBaseConfigs(text));
  const documents = parseBaseConfigs(text);
  const sealMs = timedSecond(() => {
    const budget = { left: 64 * 1024 };
    for (const d of documents) sealText('bench-key', d.config, d.kind === 'Secret', 'base_config', budget);
  });
  const aliases = `shared: &pw alias-secret\n${Array.from({ length: 1_000 }, (_, i) => `k${i}: {password: *pw}`).join('\n')}\n`;
  const aliasParseMs = timedSecond(() => parseAllDocuments(aliases, { uniqueKeys: false }));
  const aliasRedactMs = timedSecond(() => redactSecretText(aliases));
  return { bytes: text.length, parseMs, sealMs, aliasBytes: aliases.length, aliasParseMs, aliasRedactMs };
}
