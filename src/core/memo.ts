/**
 * Remembering answers that cannot change. Glossaries, terms, replies and views are never changed in place (an
 * edit or a reload makes new ones), so what is worked out from one of them holds for as long as it lives.
 */

/** `make()` the first time `key` is asked for, the same value after that, for as long as `key` lives. */
export function remember<K extends object, V>(cache: WeakMap<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/**
 * The answers to the `max` questions asked most recently, for a question that can be anything people type:
 * a question asked again is answered from here, and the one asked longest ago makes room for a new one.
 */
export class RecentAnswers<V> {
  private readonly answers = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(question: string, answer: () => V): V {
    const known = this.answers.get(question);
    if (known !== undefined) {
      // Asked again: it moves to the back of the line (a Map keeps the order keys were set in).
      this.answers.delete(question);
      this.answers.set(question, known);
      return known;
    }
    const value = answer();
    this.answers.set(question, value);
    if (this.answers.size > this.max) {
      const oldest = this.answers.keys().next();
      if (oldest.done !== true) this.answers.delete(oldest.value);
    }
    return value;
  }

  /** How many answers are kept. */
  get size(): number {
    return this.answers.size;
  }
}
