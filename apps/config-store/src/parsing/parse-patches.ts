import { DomainError, objectName, quoted, type PatchFormat } from '@slipway/contracts';
import { isJsonObject, RFC_6902_OPS, type JsonObject } from '@slipway/materializer';
import { parseYamlDocument, refuseSecretAliases } from './parse-yaml';
import { splitDocuments, whereIs, type SourceDocument } from './split-documents';

export interface ParsedPatch {
  target: string;
  format: PatchFormat;
  kind: string | null;
  /** The body without its target line, as stored and shown. */
  patch: string;
}

const TARGET_LINE = /^\s*#\s*target\s*:\s*(\S+)\s*$/;
const JSON_FIELDS = new Set(['kind', 'target', 'comment', 'patch']);

/**
 * The `# target:` line before the body, and the body without it. Another one not indented
 * (before the body or after it) is refused: a patch has one target, and the other, read as
 * a comment, would be dropped without a word — the start of a patch whose `---` was left out.
 */
function splitTarget(source: SourceDocument, where: string, field: string): { target?: string; body: string } {
  const lines = source.text.split('\n');
  const leading = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  const bodyStart = leading === -1 ? lines.length : leading;
  const targets = lines.flatMap((line, i) => {
    const match = (i < bodyStart || !/^\s/.test(line)) && TARGET_LINE.exec(line);
    return match ? [{ target: match[1]!, line: i }] : [];
  });
  if (targets.length > 1) {
    throw new DomainError('invalid', `${where} has ${targets.length} "# target:" lines (${targets.map((t) => quoted(t.target)).join(', ')}): a patch has one target; give each its own document, after a "---" line`, field);
  }
  const [found] = targets;
  if (!found || found.line >= bodyStart) return { body: source.text.trim() };
  return { target: found.target, body: [...lines.slice(0, found.line), ...lines.slice(found.line + 1)].join('\n').trim() };
}

/** The document's JSON format: a `patch` field and nothing but its fields (no Kubernetes object has one). */
function isJsonPatchFormat(value: JsonObject): boolean {
  return 'patch' in value && Object.keys(value).every((key) => JSON_FIELDS.has(key));
}

function checkTarget(target: string | undefined, where: string, field: string): string {
  if (target === undefined) throw new DomainError('invalid', `${where} has no target: start it with a "# target: <object-or-label>" line`, field);
  const checked = objectName.safeParse(target);
  if (!checked.success) throw new DomainError('invalid', `${where}: target "${target}" ${checked.error.issues[0]!.message}`, field);
  return target;
}

/**
 * Patch text → patches. Each `---` document is a YAML strategic merge patch led by a
 * `# target: <name>` line, or a patch in the document's JSON format
 * `{kind, target, comment, patch: [RFC 6902 operations]}` (target from the field or the line).
 */
export function parsePatches(text: string, field = 'patch'): ParsedPatch[] {
  const sources = splitDocuments(text, field, true);
  if (sources.length === 0) throw new DomainError('invalid', `${field}: no patch found`, field);
  return sources.map((source) => {
    const where = `${field}: ${whereIs(source, 'patch')}`;
    const { target: lineTarget, body } = splitTarget(source, where, field);
    const value = parseYamlDocument({ ...source, text: body }, field, 'patch');
    if (!isJsonObject(value)) throw new DomainError('invalid', `${where} must be a mapping`, field);
    // A patch naming no kind may reach a ConfigMap as well as a Secret: an alias copying a
    // secret's value is judged as it would be outside a Secret (where the copy shows in the
    // clear); a patch for a Secret names its kind to copy within it.
    refuseSecretAliases({ ...source, text: body }, value.kind === 'Secret', field, 'patch');
    if (isJsonPatchFormat(value)) {
      if (!Array.isArray(value.patch)) throw new DomainError('invalid', `${where}: "patch" must be a list of RFC 6902 operations`, `${field}.patch`);
      if (typeof value.kind !== 'string' || value.kind === '') throw new DomainError('invalid', `${where}: a JSON patch needs "kind"`, `${field}.kind`);
      if (value.target !== undefined && typeof value.target !== 'string') throw new DomainError('invalid', `${where}: "target" must be a string`, `${field}.target`);
      if (value.target !== undefined && lineTarget !== undefined && value.target !== lineTarget) {
        throw new DomainError('invalid', `${where}: "target" "${value.target}" disagrees with the "# target: ${lineTarget}" line`, `${field}.target`);
      }
      const target = checkTarget((value.target as string | undefined) ?? lineTarget, where, field);
      (value.patch as unknown[]).forEach((op, i) => {
        if (!isJsonObject(op as never) || typeof (op as JsonObject).op !== 'string' || typeof (op as JsonObject).path !== 'string') {
          throw new DomainError('invalid', `${where}: operation ${i} needs "op" and "path"`, `${field}.patch.${i}`);
        }
        // Here as well as where it is applied: a patch whose target has no base yet is stored unapplied.
        if (!RFC_6902_OPS.includes((op as JsonObject).op as string)) {
          throw new DomainError('invalid', `${where}: operation ${i} has op "${(op as JsonObject).op as string}", not one of RFC 6902's (${RFC_6902_OPS.join(', ')})`, `${field}.patch.${i}`);
        }
      });
      return { target, format: 'JSON', kind: value.kind, patch: body };
    }
    const kind = typeof value.kind === 'string' ? value.kind : null;
    return { target: checkTarget(lineTarget, where, field), format: 'YAML', kind, patch: body };
  });
}
