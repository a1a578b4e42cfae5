/**
 * What a function made of a text, kept for the next reader of the same text: patch lists and
 * searches show the same patches again and again, and redacting one (its YAML parsed, the
 * patterns run) costs far more than looking it up. The least recently used go first once the
 * texts held pass `maxChars` (keys and values counted).
 */
export class RememberedTexts {
  private readonly held = new Map<string, string>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get(key: string, make: () => string): string {
    const known = this.held.get(key);
    if (known !== undefined) {
      // Used again: the most recent now.
      this.held.delete(key);
      this.held.set(key, known);
      return known;
    }
    const made = make();
    const cost = key.length + made.length;
    if (cost > this.maxChars) return made;
    this.held.set(key, made);
    this.chars += cost;
    for (const [oldKey, oldValue] of this.held) {
      if (this.chars <= this.maxChars) break;
      this.held.delete(oldKey);
      this.chars -= oldKey.length + oldValue.length;
    }
    return made;
  }
}
