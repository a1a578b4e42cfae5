import { redactSecretText, redactWholeText } from '@slipway/contracts';
import { ReaderRedaction } from '@slipway/runtime';
import { heldWhile } from './yaml-bodies';

/**
 * (i) A large config as a reader without `admin` is shown it: a config of about `bytes` of
 * block YAML whose password only its structure tells (an alias). Before 2026-12-06 a text
 * past 64 KiB was redacted by the patterns alone, at once (showing the anchored password);
 * now it is parsed whole, on a worker thread (ReaderRedaction), and remembered by text.
 * Timed: the patterns alone, the whole parse at once, the first read through the worker and
 * a read again (remembered); and the longest the event loop was held in each.
 */
export interface ReaderRedactionTiming {
  bytes: number; patternsMs: number; patternsHeldMs: number; wholeMs: number; wholeHeldMs: number;
  firstMs: number; firstHeldMs: number; againMs: number; againHeldMs: number; leaked: { patterns: boolean; reader: boolean };
}

export async function readerRedactionBench(bytes = 1024 * 1024): Promise<ReaderRedactionTiming> {
  const lines = ['shared: &pw bench-alias-secret', 'auth:', '  password: *pw', 'items:'];
  for (let i = 0, size = 0; size < bytes; i += 1) {
    const line = `  - name: item-${i}\n    value: "value ${i}"\n    labels: {a: b, c: d}`;
    lines.push(line);
    size += line.length + 1;
  }
  const config = lines.join('\n') + '\n';
  const readers = new ReaderRedaction();
  try {
    let shown = '';
    const patterns = await heldWhile(async () => { shown = redactSecretText(config); });
    const leakedByPatterns = shown.includes('bench-alias-secret');
    const whole = await heldWhile(async () => { redactWholeText(config); });
    const first = await heldWhile(async () => { shown = await readers.secrets(config); });
    const again = await heldWhile(() => readers.secrets(config));
    return {
      bytes: config.length, patternsMs: patterns.ms, patternsHeldMs: patterns.heldMs, wholeMs: whole.ms, wholeHeldMs: whole.heldMs,
      firstMs: first.ms, firstHeldMs: first.heldMs, againMs: again.ms, againHeldMs: again.heldMs,
      leaked: { patterns: leakedByPatterns, reader: shown.includes('bench-alias-secret') },
    };
  } finally {
    await readers.close();
  }
}
