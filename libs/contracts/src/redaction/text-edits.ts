import { REDACTED } from './redacted';
import type { Span } from './spans';

/**
 * Edits of a text (a span and what replaces it) and how a reader's copy is written with
 * them (redact-text.ts finds them).
 */

/** `byPattern`: found by the shape of the text (text-patterns.ts), not by its structure. */
export interface Edit { start: number; end: number; text: string; byPattern?: boolean }

const isPatternEdit = (edit: Edit): boolean => edit.byPattern === true;

/** What a pattern may take past a value the structure hides that is the structure's own: blanks and flow punctuation. */
const STRUCTURE_ONLY = /^[\s,{}[\]]*$/;
/** An anchor or tag (or several) before a value: `&pw`, `!!str`. */
const VALUE_PROPERTIES = /^\s*(?:[&!][^\s,{}[\]]*\s*)+$/;

/**
 * The edits a reader's text is written with: the structure's, and of each pattern's match
 * what the structure does not hide already, less what is only the structure's own: the
 * punctuation after a flow value (`{password: x}`: the pattern's value runs to the `}`) and
 * the anchor or tag before one (`&pw x`: taken away, its alias elsewhere would dangle). So a
 * reader's text still parses as it did, its secrets hidden as sealing hides them.
 */
export function readersEdits(source: string, edits: Edit[]): Edit[] {
  const structure = edits.filter((edit) => !isPatternEdit(edit)).sort((a, b) => a.start - b.start);
  const kept = [...structure];
  for (const match of edits.filter(isPatternEdit)) {
    for (const piece of uncovered(match, structure)) {
      const text = source.slice(piece.start, piece.end);
      if (STRUCTURE_ONLY.test(text)) continue;
      const next = structure.find((edit) => edit.start >= piece.end);
      if (next && VALUE_PROPERTIES.test(text) && source.slice(piece.end, next.start).trim() === '') continue;
      // Hidden without the blanks around it, and a comment as a comment (`password: [redacted]
      // # [redacted]` for `x # y`: without its `#` the text would no longer parse).
      const trimmed = text.trim();
      const comment = /^#[ \t]*/.exec(trimmed)?.[0].length ?? 0;
      if (comment === trimmed.length) continue;
      const start = piece.start + (text.length - text.trimStart().length) + comment;
      const end = piece.end - (text.length - text.trimEnd().length);
      kept.push({ start, end, text: REDACTED });
    }
  }
  return kept;
}

/** The parts of a span no edit of `covering` (sorted by start) covers. */
function uncovered(span: Span, covering: Edit[]): Span[] {
  const pieces: Span[] = [];
  let at = span.start;
  for (const edit of covering) {
    if (edit.end <= at) continue;
    if (edit.start >= span.end) break;
    if (edit.start > at) pieces.push({ start: at, end: edit.start });
    at = Math.max(at, edit.end);
  }
  if (at < span.end) pieces.push({ start: at, end: span.end });
  return pieces;
}


/**
 * The source with the edits made. Overlapping edits hide their characters together, as
 * mergeSpans makes their spans one: by the text of the one starting first (of those, the
 * widest) when it covers them all (a whole value hidden wins over a part inside it), else by
 * `[redacted]` over all of them (a structure's value and a pattern's match running past it),
 * a line break that ends them kept.
 */
export function applyEdits(source: string, edits: Edit[]): string {
  // One pass over the source (slicing the whole text once per edit grew with their product).
  const sorted = [...edits].sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < sorted.length;) {
    const first = sorted[i]!;
    let end = first.end;
    for (i++; i < sorted.length && sorted[i]!.start < end; i++) end = Math.max(end, sorted[i]!.end);
    parts.push(source.slice(at, first.start), end === first.end ? first.text : REDACTED + (source[end - 1] === '\n' ? '\n' : ''));
    at = end;
  }
  parts.push(source.slice(at));
  return parts.join('');
}
