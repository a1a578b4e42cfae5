/**
 * What a function made of a text, kept for the next reader of the same text: patch lists and
 * searches show the same patches again and again, and redacting one (its YAML parsed, the
 * patterns run) costs far more than looking it up (libs/runtime's ReaderRedaction). The
 * least recently used go first once the texts held pass `maxChars` (keys and values counted).
 */
export class RememberedTexts {
  private readonly held = new Map<string, string>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get(key: string, make: () => string): string {
    const known = this.known(key);
    if (known !== undefined) return known;
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

  /** What is kept under `key`, if anything (then the most recently used). */
  known(key: string): string | undefined {
    const known = this.held.get(key);
    if (known === undefined) return undefined;
    this.held.delete(key);
    this.held.set(key, known);
    return known;
  }
}
