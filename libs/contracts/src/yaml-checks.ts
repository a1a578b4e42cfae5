import { KUBERNETES_YAML } from './kubernetes-yaml';
import { shownKey } from './quoted';
import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, parse, visit, type Alias, type Document, type DocumentOptions, type Node, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml';

/*
 * Checks of a parsed YAML document that the library makes at a cost growing with the
 * square of the input (a body is parsed on the event loop that answers every request):
 * its `uniqueKeys` compares each key of a map with every earlier one (40,000 keys: 12 s),
 * and an alias resolved on its own walks the document up to it (8,000 aliases: 6 s).
 * Here each is one walk of the document. Parse with `uniqueKeys: false`.
 */

/**
 * The first key given a second time in one map, as the map reads into JSON, where every key
 * is a text: scalars by the text they become (`1` and `"1"`, `true` and `"true"`, `.nan` and
 * `NaN`, null and `""` are each one key, the later silently replacing the earlier, which the
 * library's `uniqueKeys`, comparing by value, lets pass), and an alias key as reading settles it: one standing for a scalar is
 * that scalar (`*k` after `&k name` is `name`), one standing for a map or list is read as its
 * own text (`*k`). Map and list keys themselves are not compared (Kubernetes has none; the
 * library names them by text whose making costs more than the document's size). Checked
 * pair by pair in document order, when every anchor an alias key can name is known.
 */
export function duplicateKeyIn(doc: Document): Node | undefined {
  const anchored = new Map<string, unknown>();
  const seenIn = new WeakMap<object, Set<string>>();
  let found: Node | undefined;
  visit(doc, (_key, node, path) => {
    if (isNode(node) && node.anchor) anchored.set(node.anchor, node);
    const map = path[path.length - 1];
    if (!isPair(node) || !isMap(map)) return undefined;
    const identity = keyIdentity(node.key, anchored);
    if (identity === undefined) return undefined;
    const seen = seenIn.get(map) ?? new Set<string>();
    seenIn.set(map, seen);
    if (seen.has(identity)) {
      found = node.key as Node;
      return visit.BREAK;
    }
    seen.add(identity);
    return undefined;
  });
  return found;
}

/** What makes two keys one when read, or nothing for a key never equal to another (or not compared). */
function keyIdentity(key: unknown, anchored: Map<string, unknown>): string | undefined {
  if (isAlias(key)) {
    const target = anchored.get(key.source);
    // A map or list as a key becomes its own text in JSON: for an alias, `*name`.
    return isCollection(target) ? `*${key.source}` : keyIdentity(target, anchored);
  }
  if (!isScalar(key)) return undefined;
  const value: unknown = key.value;
  // A merge key (a symbol) is no key of the map.
  if (typeof value === 'symbol') return undefined;
  // As the library names a JSON key (addPairToJSMap's stringifyKey): null is "", anything
  // else its String(), a timestamp's (a Date, `!!timestamp` or YAML 1.1) included.
  return value === null ? '' : String(value);
}

/**
 * What a refusal says of a key given twice (duplicateKeyIn): its text and where its map is,
 * as a field path (`metadata.name`, `spec.containers[1].name`), as JSON's refusal names it.
 * One walk in document order, noting anchors as it goes, as duplicateKeyIn does.
 */
export function duplicateKeyShown(doc: Document, key: Node): { key: string; field: string } {
  const anchored = new Map<string, unknown>();
  // A key may be long, or a map holding values: cut as every refusal cuts what it quotes.
  const textOf = (node: unknown): string => {
    const target = isAlias(node) ? anchored.get(node.source) : node;
    const text = isScalar(target) ? String(target.value) : isAlias(node) ? `*${node.source}` : 'a map or list';
    return shownKey(text);
  };
  let shown = { key: textOf(key), field: textOf(key) };
  visit(doc, (_key, node, path) => {
    if (isNode(node) && node.anchor) anchored.set(node.anchor, node);
    if (!isPair(node) || node.key !== key) return undefined;
    const names: string[] = [];
    const chain: readonly unknown[] = [...path, node];
    chain.forEach((step, i) => {
      if (isPair(step)) names.push(textOf(step.key));
      else if (isSeq(step)) {
        const index = `[${step.items.indexOf(chain[i + 1])}]`;
        if (names.length) names[names.length - 1] += index;
        else names.push(index);
      }
    });
    shown = { key: textOf(key), field: names.join('.') };
    return visit.BREAK;
  });
  return shown;
}

/**
 * The first alias inside the node its anchor names: a value that contains itself, which
 * no JSON can hold and no walk can finish. An alias stands for the last node before it
 * with its anchor, so anchors are noted as the walk, in document order, enters nodes.
 */
export function cyclicAliasIn(doc: Document): Alias | undefined {
  const anchored = new Map<string, unknown>();
  let found: Alias | undefined;
  visit(doc, (_key, node, path) => {
    if (isAlias(node)) {
      const target = anchored.get(node.source);
      if (target !== undefined && (path as readonly unknown[]).includes(target)) {
        found = node;
        return visit.BREAK;
      }
    } else if (isNode(node) && node.anchor) {
      anchored.set(node.anchor, node);
    }
    return undefined;
  });
  return found;
}

/**
 * The library's `maxAliasCount` that reads at most `aliases` aliases of an anchored scalar:
 * it counts the anchored node as one of them (a limit of 50 refused 50 aliases).
 */
export const aliasLimitFor = (aliases: number): number => aliases + 1;

/**
 * Parses YAML that was checked when it came in (duplicateKeyIn) or that Slipway wrote:
 * its keys are not compared again, which the library would do at the square of a map's size.
 * Read as Kubernetes reads manifests (KUBERNETES_YAML).
 */
export function parseCheckedYaml(text: string, options: ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions = {}): unknown {
  return parse(text, { ...KUBERNETES_YAML, ...options, uniqueKeys: false });
}
