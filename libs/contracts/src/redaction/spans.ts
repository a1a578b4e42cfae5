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
