interface Container { keys: Set<string> | null; path: string }

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * The first key that appears twice in one object of a JSON text, if any, and its path.
 * JSON.parse keeps the last of them silently, so `{"spec": …, "spec": …}` would mean the
 * second where YAML (and a reader of the text) sees a conflict. Run on text JSON.parse
 * accepted, so only strings and brackets need reading. Iterative: nesting cannot overflow it.
 */
export function duplicateJsonKey(text: string): { key: string; path: string } | undefined {
  const open: Container[] = [];
  // Where the value of the last key starts, and that key's path: a container starting there is its value.
  let valueAt = -1;
  let valuePath = '';
  const skipSpace = (from: number) => { while (from < text.length && isSpace(text.charCodeAt(from))) from++; return from; };
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const parent = open[open.length - 1];
      const path = at === valueAt ? valuePath : parent ? `${parent.path}[]` : '';
      open.push({ keys: c === 0x7b ? new Set() : null, path });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
    } else if (c === 0x22 /* " */) {
      const start = at;
      for (at++; text.charCodeAt(at) !== 0x22; at++) if (text.charCodeAt(at) === 0x5c /* \ */) at++;
      const colon = skipSpace(at + 1);
      const container = open[open.length - 1];
      if (text[colon] !== ':' || !container?.keys) continue;
      const raw = text.slice(start, at + 1);
      const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      const path = container.path ? `${container.path}.${key}` : key;
      if (container.keys.has(key)) return { key, path };
      container.keys.add(key);
      valueAt = skipSpace(colon + 1);
      valuePath = path;
    }
  }
  return undefined;
}
