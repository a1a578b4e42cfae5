/** A part of a text, characters [start, end). */
export interface Span { start: number; end: number }

/** Spans in order, overlapping ones made one. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const result: Span[] = [];
  for (const { start, end } of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const last = result[result.length - 1];
    if (last && start < last.end) last.end = Math.max(last.end, end);
    else result.push({ start, end });
  }
  return result;
}

/** The text with each span's characters (spans in order, apart) given by `replace`. */
export function replacingSpans(text: string, spans: readonly Span[], replace: (part: string) => string): string {
  let result = '';
  let at = 0;
  for (const { start, end } of spans) {
    result += text.slice(at, start) + replace(text.slice(start, end));
    at = end;
  }
  return result + text.slice(at);
}

/**
 * Where a text holds any of `values`, as one pass from its start takes them: at each place
 * the longest value found there, none overlapping the one taken before it nor `outside`.
 * Found by plain search: a value may be a MiB long (a config file), past what a regular
 * expression of the values would take.
 */
export function occurrenceSpans(text: string, values: Iterable<string>, outside: readonly Span[] = []): Span[] {
  const found: Span[] = [];
  for (const value of new Set(values)) {
    if (value === '') continue;
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) found.push({ start: at, end: at + value.length });
  }
  const taken: Span[] = [];
  let end = 0;
  for (const span of found.sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (span.start < end || outside.some((o) => o.start < span.end && span.start < o.end)) continue;
    taken.push(span);
    end = span.end;
  }
  return taken;
}
