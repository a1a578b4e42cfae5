import type { JsonObject, JsonValue } from './json';
import type { FieldSchema } from './merge-keys';
import { primaryKeyOf, sameElement } from './same-element';

/**
 * A list's elements, found by their first merge key's value: a patch element is compared
 * only with the elements that share it. Compared with every element, a patch adding
 * 45,000 env entries made 10^9 comparisons. A removed element leaves an empty place, so
 * positions handed out stay valid; `values()` is the list without them, in order.
 */
export class KeyedElements {
  private readonly items: (JsonValue | undefined)[] = [];
  private readonly byKey = new Map<string, number[]>();

  constructor(private readonly field: FieldSchema, items: readonly JsonValue[] = []) {
    items.forEach((item) => this.push(item));
  }

  push(item: JsonValue): void {
    const key = primaryKeyOf(item, this.field.merge ?? []);
    // An element without the first key matches nothing (sameElement): no need to find it.
    if (key !== undefined) this.positionsOf(key).push(this.items.length);
    this.items.push(item);
  }

  /** The positions of the elements `element` matches (sameElement), in list order. */
  matches(element: JsonObject, withDefaults = false): number[] {
    const key = primaryKeyOf(element, this.field.merge ?? []);
    const candidates = key === undefined ? [] : this.byKey.get(key) ?? [];
    return candidates.filter((at) => {
      const item = this.items[at];
      return item !== undefined && sameElement(item, element, this.field, withDefaults);
    });
  }

  at(position: number): JsonValue | undefined {
    return this.items[position];
  }

  /** Merging keeps the first key's value (it matched as text), so the element stays filed. */
  replace(position: number, item: JsonValue): void {
    this.items[position] = item;
  }

  remove(position: number): void {
    this.items[position] = undefined;
  }

  values(): JsonValue[] {
    return this.items.filter((item): item is JsonValue => item !== undefined);
  }

  private positionsOf(key: string): number[] {
    let positions = this.byKey.get(key);
    if (positions === undefined) {
      positions = [];
      this.byKey.set(key, positions);
    }
    return positions;
  }
}
