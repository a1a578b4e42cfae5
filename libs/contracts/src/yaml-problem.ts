/**
 * What the YAML library says of a document it cannot read, fit to show: its first line,
 * without the position it appends (` at line 2, column 11:`; callers say where once), and
 * without the text it quotes from the document, which may be a secret's (`password: >Zx9!kq`
 * is read as a block scalar header, `"pa\Ss8w0rd"` as an escape): a refusal is answered, and
 * kept as a command's outcome. Quoted text of up to three characters (an indicator, `\U`) stays.
 */
export function yamlProblemShown(message: string): string {
  const line = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  for (const [pattern, kept] of QUOTING) {
    const match = pattern.exec(line);
    if (match) return kept(match.groups!.lead!, match.groups!.quoted!, match.groups!.tail ?? '');
  }
  return line;
}

const shortOrCut = (lead: string, quoted: string, tail: string): string =>
  (quoted.length <= 3 ? `${lead}${quoted}${tail}` : `${lead.replace(/[: ]+$/, '')}${tail} (the text is not shown: it may hold a secret)`);

/** The library's messages that quote the document (yaml 2: compose/, nodes/Alias.js, schema/json). */
const QUOTING: Array<[RegExp, (lead: string, quoted: string, tail: string) => string]> = [
  [/^(?<lead>Block scalar header includes extra characters: )(?<quoted>.*)$/, shortOrCut],
  // The escape's letter says what is wrong (`\U` wants eight hex digits); what follows it is the
  // string's. A letter outside ASCII is left out (half of an emoji alone is no text Postgres keeps).
  [/^(?<lead>Invalid escape sequence )(?<quoted>.*)$/, (lead, quoted) => `${lead}${/^\\[\x21-\x7e]/.test(quoted) ? quoted.slice(0, 2) : quoted.slice(0, 1)}`],
  [/^(?<lead>Unresolved plain scalar )(?<quoted>.*)$/, shortOrCut],
  [/^(?<lead>(?:Unknown directive|Unsupported YAML version) )(?<quoted>.*)$/, shortOrCut],
  [/^(?<lead>(?:Unresolved tag|Could not resolve tag|Not a valid tag): )(?<quoted>.*)$/, shortOrCut],
  [/^(?<lead>The )(?<quoted>.*)(?<tail> tag has no suffix)$/, shortOrCut],
  [/^(?<lead>Verbatim tags aren't resolved, so )(?<quoted>.*)(?<tail> is invalid\.)$/, (lead, quoted, tail) => (quoted.length <= 3 ? `${lead}${quoted}${tail}` : "Verbatim tags aren't resolved (the text is not shown: it may hold a secret)")],
  [/^(?<lead>Unresolved alias \(the anchor must be set before the alias\): )(?<quoted>.*)$/, shortOrCut],
];
